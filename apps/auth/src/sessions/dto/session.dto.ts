import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class LoginDto {
  /** username, or email */
  @IsString() @IsNotEmpty() @MaxLength(254) username: string;
  @IsString() @IsNotEmpty() @MaxLength(1024) password: string;
  /** TOTP code, or a recovery code */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9-]{6,20}$/, { message: 'otp must be a 6-digit or recovery code' })
  otp?: string;
}

export class RefreshDto {
  /** Optional only for a browser that sends `X-Refresh-Cookie: 1` and holds the refresh cookie. */
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) refreshToken?: string;
}

export class SessionIdParamDto {
  @IsString() @Matches(/^[A-Za-z0-9_-]{1,100}$/, { message: 'id is not a session id' }) id: string;
}
