import { type AuthUser, CurrentUser } from '@app/auth';
import { PageQueryDto } from '@app/platform';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOperation, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import { CreateHoldMailDto, UpdateHoldMailDto } from './dto/hold-mail.dto';
import { HoldMailService, HOLD_MAIL_PREFIX } from './hold-mail.service';
import { ApiDeliveryRequest } from './delivery-quota';
import { HoldMailView, HoldMailViewPage } from './dto/delivery-view.dto';
import { ApiConfirmationNumber } from './confirmation-number';

const ApiHoldMailNumber = () => ApiConfirmationNumber(HOLD_MAIL_PREFIX, 'not one of your holds');

@ApiTags('delivery management')
@ApiBearerAuth()
@Controller('hold-mail')
export class HoldMailController {
  constructor(private readonly holdMail: HoldMailService) {}

  @Post()
  @HttpCode(201)
  @ApiDeliveryRequest({
    summary:
      'Hold the mail of one of your verified addresses for 3–30 days, starting on a delivery day at least one day ahead; the same hold again answers the one booked',
    target: ApiNotFoundResponse({ description: 'not one of your verified addresses' }),
    badRequest: 'bad input or dates the Hold Mail rules refuse',
    conflict: 'another hold of this address overlaps',
    view: HoldMailView,
    created: true,
  })
  create(@CurrentUser() user: AuthUser, @Body() body: CreateHoldMailDto) {
    return this.holdMail.create(user.userId, body);
  }

  @Get()
  @ApiOperation({ summary: 'Your Hold Mail requests, newest first' })
  @ApiOkResponse({ type: HoldMailViewPage })
  list(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto) {
    return this.holdMail.list(user.userId, query.limit, query.cursor);
  }

  @Get(':confirmationNumber')
  @ApiHoldMailNumber()
  @ApiOkResponse({ type: HoldMailView })
  get(@CurrentUser() user: AuthUser, @Param('confirmationNumber') confirmationNumber: string) {
    return this.holdMail.get(user.userId, confirmationNumber);
  }

  @Patch(':confirmationNumber')
  @ApiDeliveryRequest({
    summary: 'Change the dates or the delivery before the hold starts (same rules)',
    target: ApiHoldMailNumber(),
    badRequest: 'bad input or dates the Hold Mail rules refuse',
    conflict: 'started, cancelled, or overlapping another hold',
    view: HoldMailView,
  })
  modify(
    @CurrentUser() user: AuthUser,
    @Param('confirmationNumber') confirmationNumber: string,
    @Body() body: UpdateHoldMailDto,
  ) {
    return this.holdMail.modify(user.userId, confirmationNumber, body);
  }

  @Delete(':confirmationNumber')
  @ApiDeliveryRequest({
    summary: 'Cancel before the hold starts; cancelling again answers the same',
    target: ApiHoldMailNumber(),
    conflict: 'the hold has started',
    view: HoldMailView,
  })
  cancel(@CurrentUser() user: AuthUser, @Param('confirmationNumber') confirmationNumber: string) {
    return this.holdMail.cancel(user.userId, confirmationNumber);
  }
}
