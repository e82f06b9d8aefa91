import { LANGUAGES, type Language } from '@app/contracts/i18n/languages';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ProfileView as ProfileShape } from '../profile.service';

/** The caller's profile as `GET /me` answers it (the document's schema of ProfileView). */
export class ProfileView implements ProfileShape {
  @ApiProperty() userId!: string;
  @ApiProperty() username!: string;
  @ApiProperty() email!: string;
  @ApiProperty() emailVerified!: boolean;
  @ApiPropertyOptional() phone?: string;
  @ApiProperty() phoneVerified!: boolean;
  @ApiProperty() firstName!: string;
  @ApiProperty() lastName!: string;
  @ApiProperty() accountType!: string;
  @ApiPropertyOptional() companyName?: string;
  @ApiProperty() timeZone!: string;
  @ApiProperty({ enum: LANGUAGES }) language!: Language;
  @ApiProperty({ type: [String] }) roles!: string[];
  @ApiProperty() mfaEnabled!: boolean;
}
