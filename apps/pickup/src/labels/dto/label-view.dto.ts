import { SHIPPING_SERVICES } from '@app/contracts';
import { PageOf } from '@app/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PAYMENT_METHODS, type PaymentMethod } from '../../payments/dto/payment.dto';
import { PostalAddressView } from '@app/platform';
import { PaymentView, RefundView } from '../../common/views.dto';
import type { LabelView as LabelShape, PaidLabelView as PaidLabelShape } from '../labels.service';

class ReturnChargeView {
  @ApiProperty({ enum: PAYMENT_METHODS }) method!: PaymentMethod;
  @ApiProperty({ description: '`awaiting_scan`, `due`, `charged` or `failed`' }) state!: string;
  @ApiPropertyOptional({ format: 'date-time' }) chargedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) failedAt?: string;
  @ApiPropertyOptional() failureReason?: string;
}

export class LabelView implements LabelShape {
  @ApiProperty() labelId!: string;
  @ApiProperty() trackingNumber!: string;
  @ApiProperty({ enum: SHIPPING_SERVICES }) service!: string;
  @ApiProperty({ type: 'integer' }) priceCents!: number;
  @ApiProperty({ type: 'integer' }) zone!: number;
  @ApiProperty({ type: 'integer' }) deliveryDays!: number;
  @ApiProperty() status!: string;
  @ApiProperty({ type: PostalAddressView }) from!: PostalAddressView;
  @ApiProperty({ type: PostalAddressView }) to!: PostalAddressView;
  @ApiProperty() weightOz!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) refundedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) acceptedAt?: string;
  @ApiPropertyOptional() pickupConfirmationNumber?: string;
  @ApiPropertyOptional({ enum: PAYMENT_METHODS, description: 'how it was paid (labels paid since payments began)' })
  paidBy?: PaymentMethod;
  @ApiPropertyOptional({ description: 'set on the label that ships a stamps order' }) orderId?: string;
  @ApiPropertyOptional({ description: 'on a return label: the outbound label it returns' }) returnOf?: string;
  @ApiPropertyOptional({ type: ReturnChargeView, description: 'on a return label: its charge' })
  returnCharge?: ReturnChargeView;
}

/** A new label with how it was paid. */
export class PaidLabelView extends LabelView implements PaidLabelShape {
  @ApiProperty({ type: PaymentView }) payment!: PaymentView;
}

/** A refunded label, with the refund (absent when the label was refunded before). */
export class RefundedLabelView extends LabelView {
  @ApiPropertyOptional({ type: RefundView }) refund?: RefundView;
}

export const LabelViewPage = PageOf(LabelView);
