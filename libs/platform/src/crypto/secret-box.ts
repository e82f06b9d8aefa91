import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const PREFIX = 'v1.aesgcm.';
const PLAIN = 'v1.plain.';

/**
 * Encrypts secrets at rest (AES-256-GCM) with a key derived by HKDF from a secret of the environment
 * and a per-use salt; clear text when the secret is unset, which each app's config allows only with
 * PORTAL_ENV=development. Sealed values start `v1.aesgcm.` (or `v1.plain.`).
 */
export class SecretBox {
  private readonly key: Buffer | undefined;

  /**
   * @param secret the environment's secret (at least 16 characters), or undefined in development
   * @param salt names the use, so one secret gives each use its own key (auth: `postal-portal-auth`)
   * @param variable the setting's name, for the error when an encrypted value is read without it
   */
  constructor(
    secret: string | undefined,
    salt: string,
    private readonly variable: string,
  ) {
    this.key = secret ? Buffer.from(hkdfSync('sha256', secret, salt, 'secret-box', 32)) : undefined;
  }

  seal(plain: string): string {
    if (!this.key) return PLAIN + Buffer.from(plain, 'utf8').toString('base64url');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** Whether `stored` is a value this box made (sealed or marked plain), as opposed to a legacy raw one. */
  static isSealed(stored: string): boolean {
    return stored.startsWith(PREFIX) || stored.startsWith(PLAIN);
  }

  /** Whether `stored` is kept in clear although a key is configured now (stored by a development run). */
  needsSealing(stored: string): boolean {
    return this.key !== undefined && stored.startsWith(PLAIN);
  }

  open(sealed: string): string {
    if (sealed.startsWith(PLAIN)) return Buffer.from(sealed.slice(PLAIN.length), 'base64url').toString('utf8');
    if (!sealed.startsWith(PREFIX)) throw new Error('unknown sealed secret format');
    if (!this.key) throw new Error(`${this.variable} is needed to read encrypted secrets`);
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
