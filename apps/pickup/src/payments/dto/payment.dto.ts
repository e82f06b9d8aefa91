import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsString, Matches, ValidateIf, ValidateNested } from 'class-validator';
import { PAYMENT_METHOD_ID } from '../../account/dto/top-up.dto';

export const PAYMENT_METHODS = ['balance', 'card'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** How a purchase is paid: `{method: "balance"}` or `{method: "card", paymentMethodId}`. */
export class PaymentDto {
  @ApiProperty({ enum: PAYMENT_METHODS, description: 'the postage balance, or a card' })
  @IsIn(PAYMENT_METHODS)
  method: PaymentMethod;

  @ApiPropertyOptional({
    pattern: PAYMENT_METHOD_ID.source,
    description:
      'required with method "card" (a Stripe payment method id, e.g. pm_card_visa locally); absent with "balance"',
  })
  @ValidateIf((o: PaymentDto) => o.method === 'card' || o.paymentMethodId !== undefined)
  @IsString({ message: 'paymentMethodId is required to pay by card' })
  @Matches(PAYMENT_METHOD_ID, { message: 'paymentMethodId must be a payment method id (pm_…)' })
  paymentMethodId?: string;
}

/** The required `payment` of a purchase; `description` says what it pays and when. */
export const PaidWith = (description: string): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ type: PaymentDto, description }),
    IsDefined({ message: 'payment is required: {method: "balance"} or {method: "card", paymentMethodId}' }),
    ValidateNested(),
    Type(() => PaymentDto),
  );

/** What a purchase shows of how it was paid. */
export interface PaymentView {
  method: PaymentMethod;
  amountCents: number;
  paymentId?: string;
  card?: { brand: string; last4: string };
}
