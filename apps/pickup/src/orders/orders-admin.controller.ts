import { Roles } from '@app/auth';
import { Role } from '@app/contracts';
import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiResponse, ApiTags, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { OrdersService } from './orders.service';
import { OrderView, OrderViewList } from './dto/order-view.dto';

const ORDER_STATUSES = ['placed', 'paid', 'shipped', 'delivered', 'cancelled'] as const;

export class AdminOrdersQueryDto {
  @ApiPropertyOptional({ enum: ORDER_STATUSES, default: 'paid', description: '`paid`: the orders to ship' })
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: (typeof ORDER_STATUSES)[number];

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

/** Operators fulfil stamp orders: the list to ship, and marking one shipped (which creates its label). */
@ApiTags('admin')
@ApiBearerAuth()
@Roles(Role.Operator)
@Controller('admin/orders')
export class OrdersAdminController {
  constructor(private readonly orders: OrdersService) {}

  @Get()
  @ApiOkResponse({ type: OrderViewList })
  list(@Query() query: AdminOrdersQueryDto) {
    return this.orders.listByStatus(query.status ?? 'paid', query.limit).then((items) => ({ items }));
  }

  @Post(':id/ship')
  @HttpCode(200)
  @ApiResponse({
    status: 200,
    type: OrderView,
    description: 'shipped: `trackingNumber` is the label of ours it travels with',
  })
  @ApiResponse({ status: 409, description: 'the order is not paid (not yet, cancelled, or shipped already)' })
  @ApiParam({ name: 'id', description: "the order's orderId", schema: { type: 'string', format: 'uuid' } })
  ship(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.orders.ship(id);
  }
}
