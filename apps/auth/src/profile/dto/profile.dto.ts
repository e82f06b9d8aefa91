import { PASSWORD_MAX_LENGTH } from '@app/contracts';
import { LANGUAGES, type Language } from '@app/contracts/i18n/languages';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsOptionalNotNull } from '@app/platform';
import { E164_PATTERN } from '../../common/validation';

export class UpdateProfileDto {
  @ApiPropertyOptional({ maxLength: 100 }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) firstName?: string;
  @ApiPropertyOptional({ maxLength: 100 }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) lastName?: string;
  @ApiPropertyOptional({
    description:
      'a change needs `currentPassword`; the new address gets a verification code, the old one a "Your email address was changed" email',
    format: 'email',
    maxLength: 254,
  })
  @IsOptionalNotNull()
  @IsEmail()
  @MaxLength(254)
  email?: string;
  @ApiPropertyOptional({
    description:
      'E.164; a change needs `currentPassword`, leaves the phone unverified and sends a "Your phone number was changed" email to the account',
    pattern: E164_PATTERN.source,
    example: '+12025550123',
  })
  @IsOptional()
  @IsString()
  @Matches(E164_PATTERN, { message: 'phone must be in E.164 form, e.g. +12025550123' })
  phone?: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) companyName?: string;
  @ApiPropertyOptional({ description: 'an IANA time zone', maxLength: 64, example: 'America/New_York' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timeZone?: string;
  @ApiPropertyOptional({
    enum: LANGUAGES,
    description: "the language of the account's emails, SMS and in-app notices (and of the portal)",
  })
  @IsOptional()
  @IsIn(LANGUAGES)
  language?: Language;
  /** required when `email` or `phone` changes */
  @ApiPropertyOptional({
    description:
      'required when `email` or `phone` changes (400 when missing); a wrong one is a 401 counted toward the login lockout (429 with Retry-After while locked)',
    maxLength: 1024,
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  currentPassword?: string;
}

export class PhoneCodeDto {
  @IsString() @Matches(/^\d{6}$/, { message: 'code must be 6 digits' }) code: string;
}

export class ChangePasswordDto {
  @IsString() @IsNotEmpty() @MaxLength(1024) currentPassword: string;
  @IsString() @MaxLength(PASSWORD_MAX_LENGTH * 4) newPassword: string;
}
