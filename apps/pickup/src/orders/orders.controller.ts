import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiParam,
  ApiResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { negotiateLanguage } from '@app/contracts/i18n/languages';
import { Idempotent, type IdempotencyScope, IdempotencyScopeParam } from '../payments/idempotency.interceptor';
import { type AuthUser, CurrentUser } from '@app/auth';
import { PageQueryDto } from '@app/platform';
import { PlaceOrderDto } from './dto/place-order.dto';
import { OrdersService } from './orders.service';
import { CancelledOrderView, OrderView, OrderViewPage } from './dto/order-view.dto';

@ApiTags('stamps')
@ApiBearerAuth()
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @Idempotent()
  @ApiResponse({
    status: 402,
    description:
      'not paid: the balance is short (`code: insufficient_balance`, `shortfallCents`) or the card was declined (`code`, `declineCode`)',
  })
  @ApiServiceUnavailableResponse({ description: 'the payment provider is unavailable; retry with the same key' })
  @ApiCreatedResponse({ type: OrderView })
  place(
    @CurrentUser() user: AuthUser,
    @Body() body: PlaceOrderDto,
    @IdempotencyScopeParam() scope: IdempotencyScope,
    @Headers('authorization') authorization?: string,
  ) {
    return this.orders.place(user.userId, body, authorization, scope);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Idempotent()
  @ApiResponse({ status: 409, description: 'the order is shipped, delivered or cancelled already' })
  @ApiOkResponse({ type: CancelledOrderView })
  @ApiParam({ name: 'id', description: "the order's orderId", schema: { type: 'string', format: 'uuid' } })
  cancel(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.orders.cancel(user.userId, id);
  }

  @Get()
  @ApiOkResponse({ type: OrderViewPage })
  @ApiHeader({
    name: 'Accept-Language',
    required: false,
    description: "the language of the items' `name`: en, es or zh-Hans (English otherwise)",
  })
  list(
    @CurrentUser() user: AuthUser,
    @Query() query: PageQueryDto,
    @Headers('accept-language') acceptLanguage?: string,
  ) {
    return this.orders.list(user.userId, query.limit, query.cursor, negotiateLanguage(acceptLanguage));
  }
}
