import { PageOf } from '@app/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CardSummaryView } from '../../common/views.dto';
import { PAYMENT_METHODS, type PaymentMethod } from '../../payments/dto/payment.dto';
import type {
  BalanceView as BalanceShape,
  LedgerEntryView as LedgerEntryShape,
  TopUpView as TopUpShape,
} from '../account.service';
import type { TopUpStatus } from '../top-up.schema';

export class BalanceView implements BalanceShape {
  @ApiProperty({ type: 'integer' }) balanceCents!: number;
  @ApiProperty({ enum: ['usd'] }) currency!: 'usd';
}

export class LedgerEntryView implements LedgerEntryShape {
  @ApiProperty() entryId!: string;
  @ApiProperty() kind!: string;
  @ApiProperty({ type: 'integer' }) amountCents!: number;
  @ApiProperty({ type: 'integer' }) balanceChangeCents!: number;
  @ApiProperty({ description: 'in the language of Accept-Language' }) description!: string;
  @ApiProperty({ enum: PAYMENT_METHODS }) method!: PaymentMethod;
  @ApiPropertyOptional({ type: CardSummaryView }) card?: CardSummaryView;
  @ApiPropertyOptional() subjectId?: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export const LedgerEntryViewPage = PageOf(LedgerEntryView);

export class TopUpView implements TopUpShape {
  @ApiProperty() topUpId!: string;
  @ApiProperty({ type: 'integer' }) amountCents!: number;
  @ApiProperty({ enum: ['pending', 'succeeded', 'failed'] }) status!: TopUpStatus;
  @ApiPropertyOptional({ description: 'for Stripe.js when the browser still has to confirm the card' })
  clientSecret?: string;
  @ApiProperty({ type: 'integer' }) balanceCents!: number;
}
