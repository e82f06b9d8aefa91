import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDivisibleBy, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

export const TOP_UP_MIN_CENTS = 1_000;
export const TOP_UP_MAX_CENTS = 50_000;
export const TOP_UP_STEP_CENTS = 1_000;

/** A payment method id as Stripe issues them (`pm_…`); never a card number. */
export const PAYMENT_METHOD_ID = /^pm_[A-Za-z0-9_]{1,100}$/;

export class TopUpDto {
  @ApiProperty({
    minimum: TOP_UP_MIN_CENTS,
    maximum: TOP_UP_MAX_CENTS,
    multipleOf: TOP_UP_STEP_CENTS,
    description: 'integer cents: $10 to $500 in steps of $10',
    example: 2_000,
  })
  @IsInt()
  @Min(TOP_UP_MIN_CENTS)
  @Max(TOP_UP_MAX_CENTS)
  @IsDivisibleBy(TOP_UP_STEP_CENTS, { message: 'amountCents must be in steps of $10 (1000 cents)' })
  amountCents: number;

  @ApiPropertyOptional({
    pattern: PAYMENT_METHOD_ID.source,
    description:
      'confirm now with this payment method (a saved card, or a Stripe test method such as pm_card_visa); ' +
      'without it the answer carries a client secret for Stripe.js to confirm in the browser',
  })
  @IsOptional()
  @IsString()
  @Matches(PAYMENT_METHOD_ID, { message: 'paymentMethodId must be a payment method id (pm_…)' })
  paymentMethodId?: string;
}
