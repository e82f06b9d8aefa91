import { type AuthUser, CurrentUser } from '@app/auth';
import { PageQueryDto } from '@app/platform';
import { Body, Controller, Delete, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import { UpdateRedeliveryDto } from './dto/redelivery.dto';
import { RedeliveriesService, REDELIVERY_PREFIX } from './redeliveries.service';
import { ApiDeliveryRequest } from './delivery-quota';
import { RedeliveryView, RedeliveryViewPage } from './dto/delivery-view.dto';
import { ApiConfirmationNumber } from './confirmation-number';

const ApiRedeliveryNumber = () => ApiConfirmationNumber(REDELIVERY_PREFIX, "not one of the caller's redeliveries");

@ApiTags('delivery management')
@ApiBearerAuth()
@Controller('redeliveries')
export class RedeliveriesController {
  constructor(private readonly redeliveries: RedeliveriesService) {}

  @Get()
  @ApiOperation({ summary: "The caller's redeliveries, newest first" })
  @ApiOkResponse({ type: RedeliveryViewPage })
  list(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto) {
    return this.redeliveries.list(user.userId, query.limit, query.cursor);
  }

  @Get(':confirmationNumber')
  @ApiRedeliveryNumber()
  @ApiOkResponse({ type: RedeliveryView })
  get(@CurrentUser() user: AuthUser, @Param('confirmationNumber') confirmationNumber: string) {
    return this.redeliveries.get(user.userId, confirmationNumber);
  }

  @Patch(':confirmationNumber')
  @ApiDeliveryRequest({
    summary: 'Change the date, place, instructions or contact, before 2:00 AM Central time on its day',
    target: ApiRedeliveryNumber(),
    badRequest: 'bad input or a date the redelivery rules refuse',
    conflict: 'cancelled, or 2:00 AM Central time on its day has passed',
    view: RedeliveryView,
  })
  modify(
    @CurrentUser() user: AuthUser,
    @Param('confirmationNumber') confirmationNumber: string,
    @Body() body: UpdateRedeliveryDto,
  ) {
    return this.redeliveries.modify(user.userId, confirmationNumber, body);
  }

  @Delete(':confirmationNumber')
  @ApiDeliveryRequest({
    summary: 'Cancel, before 2:00 AM Central time on its day; cancelling again answers the same',
    target: ApiRedeliveryNumber(),
    conflict: '2:00 AM Central time on its day has passed',
    view: RedeliveryView,
  })
  cancel(@CurrentUser() user: AuthUser, @Param('confirmationNumber') confirmationNumber: string) {
    return this.redeliveries.cancel(user.userId, confirmationNumber);
  }
}
