import { PASSWORD_MAX_LENGTH } from '@app/contracts';
import { IsEmail, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { E164_PATTERN } from '../../common/validation';

export class UpdateProfileDto {
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) firstName?: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) lastName?: string;
  @IsOptional() @IsEmail() @MaxLength(254) email?: string;
  @IsOptional()
  @IsString()
  @Matches(E164_PATTERN, { message: 'phone must be in E.164 form, e.g. +12025550123' })
  phone?: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) companyName?: string;
  @IsOptional() @IsString() @MaxLength(64) timeZone?: string;
  /** required when `email` changes */
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(1024) currentPassword?: string;
}

export class PhoneCodeDto {
  @IsString() @Matches(/^\d{6}$/, { message: 'code must be 6 digits' }) code: string;
}

export class ChangePasswordDto {
  @IsString() @IsNotEmpty() @MaxLength(1024) currentPassword: string;
  @IsString() @MaxLength(PASSWORD_MAX_LENGTH * 4) newPassword: string;
}
