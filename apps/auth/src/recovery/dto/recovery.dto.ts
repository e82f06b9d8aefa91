import { PASSWORD_MAX_LENGTH } from '@app/contracts';
import { IsEmail, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';

export class ForgotUsernameDto {
  @IsEmail() @MaxLength(254) email: string;
}

export class PasswordResetRequestDto {
  @ValidateIf((o: PasswordResetRequestDto) => o.email === undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(254)
  username?: string;

  @IsOptional() @IsEmail() @MaxLength(254) email?: string;
}

export class PasswordResetConfirmDto {
  @IsString() @IsNotEmpty() @MaxLength(254) username: string;
  @IsString() @Matches(/^\d{6,10}$/, { message: 'code must be digits' }) code: string;
  @IsString() @MaxLength(PASSWORD_MAX_LENGTH * 4) newPassword: string;
}

/** The same login as verify-email takes (a username, or an email when it has an `@`). */
export class ResendEmailVerificationDto {
  @IsString() @IsNotEmpty() @MaxLength(254) username: string;
}
