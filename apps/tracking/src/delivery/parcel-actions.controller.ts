import { type AuthUser, CurrentUser } from '@app/auth';
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { CreateRedeliveryDto, HoldExtensionDto } from './dto/redelivery.dto';
import { ParcelOptionsService } from './parcel-options.service';
import { RedeliveriesService } from './redeliveries.service';

const TRACKING_NUMBER_PARAM = {
  name: 'trackingNumber',
  description: 'an IMpb (20–34 digits) or S10 number with a valid check digit',
  schema: { type: 'string', maxLength: 60 },
} as const;
const NOT_YOURS =
  'a parcel never seen, or one of which the caller is neither the recipient (verified address) nor the shipper (label buyer): the same answer';

@ApiTags('delivery management')
@ApiBearerAuth()
@Controller('parcels')
export class ParcelActionsController {
  constructor(
    private readonly options: ParcelOptionsService,
    private readonly redeliveries: RedeliveriesService,
  ) {}

  @Get(':trackingNumber/options')
  @ApiOperation({
    summary:
      'What the caller (recipient or shipper) may do with the parcel now, why not the rest, and the dates to choose from',
  })
  @ApiParam(TRACKING_NUMBER_PARAM)
  @ApiBadRequestResponse({ description: 'a malformed number or a wrong check digit' })
  @ApiNotFoundResponse({ description: NOT_YOURS })
  get(@CurrentUser() user: AuthUser, @Param('trackingNumber') trackingNumber: string) {
    return this.options.options(user.userId, trackingNumber);
  }

  @Post(':trackingNumber/redelivery')
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Recipient: book a redelivery after a delivery attempt while the parcel is held; the same booking sent again answers the one made',
  })
  @ApiParam(TRACKING_NUMBER_PARAM)
  @ApiBadRequestResponse({
    description:
      'bad input, or a date that is not one of the next 10 delivery days (Mon–Sat, no federal holiday, Central time), or after the hold ends',
  })
  @ApiForbiddenResponse({ description: 'the caller is the shipper, not the recipient' })
  @ApiNotFoundResponse({ description: NOT_YOURS })
  @ApiConflictResponse({
    description: 'no delivery attempt / not held / hold over, or another redelivery of this parcel is active',
  })
  async redeliver(
    @CurrentUser() user: AuthUser,
    @Param('trackingNumber') trackingNumber: string,
    @Body() body: CreateRedeliveryDto,
  ) {
    return this.redeliveries.create(user.userId, trackingNumber, body);
  }

  @Post(':trackingNumber/hold-extension')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Recipient: extend the hold of a parcel available for pickup by up to 15 days, once per parcel',
  })
  @ApiParam(TRACKING_NUMBER_PARAM)
  @ApiForbiddenResponse({ description: 'the caller is the shipper, not the recipient' })
  @ApiNotFoundResponse({ description: NOT_YOURS })
  @ApiConflictResponse({
    description: 'not available for pickup, hold over, or already extended by another number of days',
  })
  extendHold(
    @CurrentUser() user: AuthUser,
    @Param('trackingNumber') trackingNumber: string,
    @Body() body: HoldExtensionDto,
  ) {
    return this.options.extendHold(user.userId, trackingNumber, body.days);
  }
}
