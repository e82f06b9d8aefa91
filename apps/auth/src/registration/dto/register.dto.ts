import { ACCOUNT_TYPES, PASSWORD_MAX_LENGTH, type AccountType } from '@app/contracts';
import { LANGUAGES, type Language } from '@app/contracts/i18n/languages';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { E164_PATTERN } from '../../common/validation';

export class AddressDto {
  @IsOptional() @IsString() @MaxLength(100) name?: string;
  @IsString() @IsNotEmpty() @MaxLength(100) line1: string;
  @IsOptional() @IsString() @MaxLength(100) line2?: string;
  @IsString() @IsNotEmpty() @MaxLength(60) city: string;
  @IsString() @IsNotEmpty() @MaxLength(10) state: string;
  @IsString() @IsNotEmpty() @MaxLength(10) zip: string;
}

export class RegisterDto {
  @IsString() @IsNotEmpty() @MaxLength(64) username: string;
  /** length and strength are checked by the password policy, which lists its reasons */
  @IsString() @MaxLength(PASSWORD_MAX_LENGTH * 4) password: string;
  @IsEmail() @MaxLength(254) email: string;
  @IsOptional()
  @IsString()
  @Matches(E164_PATTERN, { message: 'phone must be in E.164 form, e.g. +12025550123' })
  phone?: string;
  @IsString() @IsNotEmpty() @MaxLength(100) firstName: string;
  @IsString() @IsNotEmpty() @MaxLength(100) lastName: string;
  @IsIn(ACCOUNT_TYPES) accountType: AccountType;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) companyName?: string;
  @IsOptional() @IsString() @MaxLength(64) timeZone?: string;
  @ApiPropertyOptional({
    enum: LANGUAGES,
    description: `the language of the account's emails, SMS and in-app notices (and of the portal); the web portal sends the browser's language. Without it, the request's Accept-Language decides (English when none matches)`,
  })
  @IsOptional()
  @IsIn(LANGUAGES)
  language?: Language;
  @IsObject() @ValidateNested() @Type(() => AddressDto) address: AddressDto;
}

export class VerifyEmailDto {
  @IsString() @IsNotEmpty() @MaxLength(254) username: string;
  @IsString() @Matches(/^\d{6,10}$/, { message: 'code must be digits' }) code: string;
}
