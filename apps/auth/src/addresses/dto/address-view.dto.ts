import { ItemsOf, PostalAddressView } from '@app/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AddressView as AddressShape } from '../addresses.service';

// Optional fields a change cleared are stored, and answered, as null.
export class AddressView implements AddressShape {
  @ApiProperty() id!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) label?: string;
  @ApiPropertyOptional({ type: String, nullable: true }) name?: string;
  @ApiProperty() line1!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) line2?: string;
  @ApiProperty() city!: string;
  @ApiProperty() state!: string;
  @ApiProperty() zip!: string;
  @ApiProperty() isDefault!: boolean;
  @ApiProperty() verified!: boolean;
  @ApiPropertyOptional({ type: Date, nullable: true, description: 'null once the address changed' }) verifiedAt?: Date;
  @ApiProperty({ description: 'a verification letter is on its way' }) verificationPending!: boolean;
}

export const AddressViewList = ItemsOf(AddressView);

/** `POST /me/addresses/{id}/verification-letter`: the letter that carries the code. */
export class VerificationLetter {
  @ApiProperty() letterId!: string;
  @ApiProperty() expiresAt!: Date;
}

/** A verification letter waiting to be printed (operators), without its PDF. */
export class AddressLetterView {
  @ApiProperty() id!: string;
  @ApiProperty() userId!: string;
  @ApiProperty() addressId!: string;
  @ApiProperty({ type: PostalAddressView }) address!: PostalAddressView;
  @ApiProperty() createdAt!: Date;
}

export const AddressLetterViewList = ItemsOf(AddressLetterView);
