import { ItemsOf, PageOf } from '@app/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PostalAddressView } from '@app/platform';
import { PaymentView, RefundView } from '../../common/views.dto';
import { PAYMENT_METHODS, type PaymentMethod } from '../../payments/dto/payment.dto';
import type { OrderItem } from '../order.schema';
import type { OrderView as OrderShape } from '../orders.service';

class OrderItemView implements OrderItem {
  @ApiProperty() sku!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'integer' }) quantity!: number;
  @ApiProperty({ type: 'integer' }) priceCents!: number;
}

export class OrderView implements OrderShape {
  @ApiProperty() orderId!: string;
  @ApiPropertyOptional({ type: PaymentView, description: 'how it was paid: on the answer to POST /orders' })
  payment?: PaymentView;
  @ApiProperty({ type: [OrderItemView] }) items!: OrderItemView[];
  @ApiProperty({ type: 'integer' }) totalCents!: number;
  @ApiProperty({ type: PostalAddressView }) shippingAddress!: PostalAddressView;
  @ApiProperty() status!: string;
  @ApiPropertyOptional({ enum: PAYMENT_METHODS }) paidBy?: PaymentMethod;
  @ApiPropertyOptional() trackingNumber?: string;
  @ApiPropertyOptional({ format: 'date-time' }) shippedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) deliveredAt?: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

/** A cancelled order, with its refund when it was paid. */
export class CancelledOrderView extends OrderView {
  @ApiPropertyOptional({ type: RefundView }) refund?: RefundView;
}

export const OrderViewPage = PageOf(OrderView);
export const OrderViewList = ItemsOf(OrderView);
