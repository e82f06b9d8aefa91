import { ApiProperty } from '@nestjs/swagger';

/** `POST /auth/mfa/totp/setup`: the secret to enter in an authenticator app. */
export class TotpSetup {
  @ApiProperty() secret!: string;
  @ApiProperty({ description: 'the `otpauth://` URI (for a QR code)' }) otpauthUri!: string;
}

/** `POST /auth/mfa/totp/enable`: recovery codes, shown once. */
export class RecoveryCodes {
  @ApiProperty({ type: [String] }) recoveryCodes!: string[];
}
