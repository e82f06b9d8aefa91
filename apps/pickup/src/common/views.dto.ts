import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PAYMENT_METHODS, type PaymentMethod, type PaymentView as PaymentShape } from '../payments/dto/payment.dto';

export class CardSummaryView {
  @ApiProperty() brand!: string;
  @ApiProperty() last4!: string;
}

/** How a purchase was paid. */
export class PaymentView implements PaymentShape {
  @ApiProperty({ enum: PAYMENT_METHODS }) method!: PaymentMethod;
  @ApiProperty({ type: 'integer' }) amountCents!: number;
  @ApiPropertyOptional() paymentId?: string;
  @ApiPropertyOptional({ type: CardSummaryView }) card?: CardSummaryView;
}

/** A refund: back to the balance, or to the card that paid. */
export class RefundView {
  @ApiProperty({ enum: PAYMENT_METHODS }) method!: PaymentMethod;
  @ApiProperty({ type: 'integer' }) amountCents!: number;
  @ApiProperty({ enum: ['succeeded', 'pending'], description: '`pending`: the sweep finishes it' })
  status!: 'succeeded' | 'pending';
}
