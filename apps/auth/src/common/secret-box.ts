import { Inject, Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { AUTH_CONFIG, type AuthConfig } from '../config';

const PREFIX = 'v1.aesgcm.';
const PLAIN = 'v1.plain.';

/**
 * Encrypts secrets at rest with a key derived from AUTH_KEY_ENCRYPTION_SECRET; clear text when it is unset,
 * which config allows only with PORTAL_ENV=development.
 */
@Injectable()
export class SecretBox {
  private readonly key: Buffer | undefined;

  constructor(@Inject(AUTH_CONFIG) config: AuthConfig) {
    const secret = config.AUTH_KEY_ENCRYPTION_SECRET;
    this.key = secret ? Buffer.from(hkdfSync('sha256', secret, 'postal-portal-auth', 'secret-box', 32)) : undefined;
  }

  seal(plain: string): string {
    if (!this.key) return PLAIN + Buffer.from(plain, 'utf8').toString('base64url');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** Whether `stored` is kept in clear although a key is configured now (stored by a development run). */
  needsSealing(stored: string): boolean {
    return this.key !== undefined && stored.startsWith(PLAIN);
  }

  open(sealed: string): string {
    if (sealed.startsWith(PLAIN)) return Buffer.from(sealed.slice(PLAIN.length), 'base64url').toString('utf8');
    if (!sealed.startsWith(PREFIX)) throw new Error('unknown sealed secret format');
    if (!this.key) throw new Error('AUTH_KEY_ENCRYPTION_SECRET is needed to read encrypted secrets');
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
