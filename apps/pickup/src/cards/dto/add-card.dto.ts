import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { PAYMENT_METHOD_ID } from '../../account/dto/top-up.dto';

/** A setup intent id as Stripe issues them (`seti_…`). */
export const SETUP_INTENT_ID = /^seti_[A-Za-z0-9_]{1,100}$/;

/** Most saved cards an account keeps. */
export const MAX_SAVED_CARDS = 10;

/** Exactly one of the two: the card made by Stripe.js (or a Stripe test method), or the setup intent the browser confirmed. */
export class AddCardDto {
  @ApiPropertyOptional({
    pattern: PAYMENT_METHOD_ID.source,
    description:
      'a payment method made in the browser by Stripe.js, or a Stripe test method such as pm_card_visa; ' +
      'it is confirmed for later use by a setup intent on your customer. Give this or setupIntentId, not both.',
  })
  @IsOptional()
  @IsString()
  @Matches(PAYMENT_METHOD_ID, { message: 'paymentMethodId must be a payment method id (pm_…)' })
  paymentMethodId?: string;

  @ApiPropertyOptional({
    pattern: SETUP_INTENT_ID.source,
    description: 'a setup intent from POST /account/cards/setup-intents that Stripe.js confirmed with the card element',
  })
  @IsOptional()
  @IsString()
  @Matches(SETUP_INTENT_ID, { message: 'setupIntentId must be a setup intent id (seti_…)' })
  setupIntentId?: string;
}
