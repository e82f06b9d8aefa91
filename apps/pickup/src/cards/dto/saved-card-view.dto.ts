import { ItemsOf } from '@app/platform';
import { ApiProperty } from '@nestjs/swagger';
import type { SavedCardView as SavedCardShape } from '../saved-cards.service';

export class SavedCardView implements SavedCardShape {
  @ApiProperty({ description: "the card's id, also the `paymentMethodId` to pay with it" }) cardId!: string;
  @ApiProperty() brand!: string;
  @ApiProperty() last4!: string;
  @ApiProperty({ type: 'integer' }) expMonth!: number;
  @ApiProperty({ type: 'integer' }) expYear!: number;
  @ApiProperty() isDefault!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export const SavedCardViewList = ItemsOf(SavedCardView);

/** A setup intent for Stripe.js to confirm with the card element (then POST /account/cards). */
export class SetupIntentView {
  @ApiProperty() setupIntentId!: string;
  @ApiProperty() clientSecret!: string;
}
