import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

const CURRENT_PASSWORD_DOC = {
  description:
    "the account's password, asked again so that a stolen access token is not enough; a wrong one is a 401 counted toward the login lockout (429 with Retry-After while locked)",
  maxLength: 1024,
};

export class TotpCodeDto {
  @ApiProperty({ pattern: '^\\d{6}$', example: '123456' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code: string;
}

export class EnableMfaDto extends TotpCodeDto {
  @ApiProperty(CURRENT_PASSWORD_DOC)
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  currentPassword: string;
}

/** A 6-digit authenticator code, or a recovery code as handed out (`abcde-12345`, the dash optional). */
export const MFA_CODE_PATTERN = /^(\d{6}|[A-Za-z0-9]{5}-?[A-Za-z0-9]{5})$/;

export class DisableMfaDto {
  @ApiProperty(CURRENT_PASSWORD_DOC)
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  currentPassword: string;

  @ApiProperty({
    description:
      'a current authenticator code or an unused recovery code (which is then spent); a wrong one is a 401 counted toward the login lockout',
    pattern: MFA_CODE_PATTERN.source,
    example: '123456',
  })
  @IsString()
  @Matches(MFA_CODE_PATTERN, { message: 'code must be a 6-digit authenticator code or a recovery code' })
  code: string;
}
