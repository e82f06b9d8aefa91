import { type AuthUser, CurrentUser } from '@app/auth';
import { applyDecorators, Body, Controller, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { DeliveryInstructionsDto } from './dto/intercept.dto';
import { ParcelRequestsService } from './parcel-requests.service';
import { ApiDeliveryRequest } from './delivery-quota';
import { InstructionsView as InstructionsSchema } from './dto/delivery-view.dto';
import { ADDRESS_ID_PATTERN } from '@app/contracts';

@ApiTags('delivery management')
@ApiBearerAuth()
@Controller('delivery-instructions')
export class AddressInstructionsController {
  constructor(private readonly parcelRequests: ParcelRequestsService) {}

  @Put('addresses/:addressId')
  @ApiDeliveryRequest({
    summary:
      "Default delivery instructions of one of the caller's verified addresses: they apply to its parcels without instructions of their own",
    target: applyDecorators(
      ApiParam({
        name: 'addressId',
        description: 'an id from the address book (`/me/addresses`), verified',
        schema: { type: 'string', pattern: ADDRESS_ID_PATTERN },
      }),
      ApiNotFoundResponse({ description: 'not one of the caller’s verified addresses' }),
    ),
    badRequest: 'bad input; "other" without instructions',
    view: InstructionsSchema,
  })
  set(@CurrentUser() user: AuthUser, @Param('addressId') addressId: string, @Body() body: DeliveryInstructionsDto) {
    return this.parcelRequests.setAddressInstructions(user.userId, addressId, body);
  }
}
