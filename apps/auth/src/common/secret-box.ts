import { SecretBox as PlatformSecretBox } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { AUTH_CONFIG, type AuthConfig } from '../config';

/**
 * Auth's secrets at rest (TOTP secrets, signing keys), sealed with a key derived from
 * AUTH_KEY_ENCRYPTION_SECRET (the salt is the one used since the start: stored values still open).
 */
@Injectable()
export class SecretBox extends PlatformSecretBox {
  constructor(@Inject(AUTH_CONFIG) config: AuthConfig) {
    super(config.AUTH_KEY_ENCRYPTION_SECRET, 'postal-portal-auth', 'AUTH_KEY_ENCRYPTION_SECRET');
  }
}
