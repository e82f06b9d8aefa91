import { Body, Controller, Get, Headers, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '@app/auth';
import { PageQueryDto } from '@app/platform';
import { PlaceOrderDto } from './dto/place-order.dto';
import { OrdersService } from './orders.service';

@ApiTags('stamps')
@ApiBearerAuth()
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  place(@CurrentUser() user: AuthUser, @Body() body: PlaceOrderDto, @Headers('authorization') authorization?: string) {
    return this.orders.place(user.userId, body, authorization);
  }

  @Get()
  list(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto) {
    return this.orders.list(user.userId, query.limit, query.cursor);
  }
}
