import { type AuthUser, CurrentUser } from '@app/auth';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, applyDecorators } from '@nestjs/common';
import { PARCEL_OPTION_CODES } from '@app/contracts';
import { negotiateLanguage } from '@app/contracts/i18n/languages';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiOkResponse,
} from '@nestjs/swagger';
import { DeliveryInstructionsDto, InterceptDto } from './dto/intercept.dto';
import { CreateRedeliveryDto, HoldExtensionDto } from './dto/redelivery.dto';
import { ParcelRequestsService } from './parcel-requests.service';
import { ParcelOptionsService } from './parcel-options.service';
import { RedeliveriesService } from './redeliveries.service';
import { ApiDeliveryRequest } from './delivery-quota';
import {
  HoldExtensionResult as HoldExtensionSchema,
  InstructionsView as InstructionsSchema,
  InterceptView as InterceptSchema,
  ParcelOptions as ParcelOptionsSchema,
  RedeliveryView as RedeliverySchema,
} from './dto/delivery-view.dto';

/** The `:trackingNumber` path parameter and its 404, on every route here. */
const ApiParcelOfCaller = () =>
  applyDecorators(
    ApiParam({
      name: 'trackingNumber',
      description: 'an IMpb (20–34 digits) or S10 number with a valid check digit',
      schema: { type: 'string', maxLength: 60 },
    }),
    ApiNotFoundResponse({
      description:
        'a parcel never seen, one of which the caller is neither the recipient (verified address) nor the shipper (label buyer), or an action of the other party (a shipper asking a recipient’s action or the reverse)',
    }),
  );

@ApiTags('delivery management')
@ApiBearerAuth()
@Controller('parcels')
export class ParcelActionsController {
  constructor(
    private readonly options: ParcelOptionsService,
    private readonly redeliveries: RedeliveriesService,
    private readonly parcelRequests: ParcelRequestsService,
  ) {}

  @Get(':trackingNumber/options')
  @ApiOperation({
    summary:
      'What the caller (recipient or shipper) may do with the parcel now, why not the rest, and the dates to choose from',
    description: `An action not available now is \`{allowed: false, code, reason}\`: \`code\` is one of ${PARCEL_OPTION_CODES.join(', ')}; \`reason\` says it in words, in the language of Accept-Language.`,
  })
  @ApiParcelOfCaller()
  @ApiHeader({
    name: 'Accept-Language',
    required: false,
    description:
      "the language of each unavailable action's `reason` and of the requests' `description` (en, es or zh-Hans; English otherwise); `code`, `kind` and `status` stay as they are",
  })
  @ApiBadRequestResponse({ description: 'a malformed number or a wrong check digit' })
  @ApiOkResponse({ type: ParcelOptionsSchema })
  get(
    @CurrentUser() user: AuthUser,
    @Param('trackingNumber') trackingNumber: string,
    @Headers('accept-language') acceptLanguage?: string,
  ) {
    return this.options.options(user.userId, trackingNumber, negotiateLanguage(acceptLanguage));
  }

  @Post(':trackingNumber/redelivery')
  @HttpCode(201)
  @ApiDeliveryRequest({
    summary:
      'Recipient: book a redelivery after a delivery attempt while the parcel is held; the same booking sent again answers the one made',
    target: ApiParcelOfCaller(),
    badRequest:
      'bad input, or a date that is not one of the next 10 delivery days (Mon–Sat, no federal holiday, Central time), or after the hold ends',
    conflict: 'no delivery attempt / not held / hold over, or another redelivery of this parcel is active',
    view: RedeliverySchema,
    created: true,
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
  @ApiDeliveryRequest({
    summary: 'Recipient: extend the hold of a parcel available for pickup by up to 15 days, once per parcel',
    target: ApiParcelOfCaller(),
    conflict: 'not available for pickup, hold over, or already extended by another number of days',
    view: HoldExtensionSchema,
  })
  extendHold(
    @CurrentUser() user: AuthUser,
    @Param('trackingNumber') trackingNumber: string,
    @Body() body: HoldExtensionDto,
  ) {
    return this.options.extendHold(user.userId, trackingNumber, body.days);
  }

  @Post(':trackingNumber/intercept')
  @HttpCode(201)
  @ApiDeliveryRequest({
    summary:
      'Shipper: intercept the parcel before delivery (return it, redirect it, hold it at the post office); `status` becomes succeeded or failed from the scans that follow',
    target: ApiParcelOfCaller(),
    badRequest: 'bad input; a redirect without address, or an address without redirect',
    conflict: 'delivered or returned already, or another intercept was asked for',
    view: InterceptSchema,
    created: true,
  })
  intercept(
    @CurrentUser() user: AuthUser,
    @Param('trackingNumber') trackingNumber: string,
    @Body() body: InterceptDto,
  ) {
    return this.parcelRequests.intercept(user.userId, trackingNumber, body);
  }

  @Put(':trackingNumber/delivery-instructions')
  @ApiDeliveryRequest({
    summary: "Recipient: where to leave this parcel, before it is out for delivery (replaces the address's default)",
    target: ApiParcelOfCaller(),
    badRequest: 'bad input; "other" without instructions',
    conflict: 'out for delivery or delivered already',
    view: InstructionsSchema,
  })
  instructions(
    @CurrentUser() user: AuthUser,
    @Param('trackingNumber') trackingNumber: string,
    @Body() body: DeliveryInstructionsDto,
  ) {
    return this.parcelRequests.setInstructions(user.userId, trackingNumber, body);
  }
}
