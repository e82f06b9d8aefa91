import { loadAuthConfig, type AuthConfig } from '../config';
import { SecretBox } from './secret-box';

// Every service needs its Kafka principal; these specs are about other variables.
const KAFKA = { KAFKA_SASL_USERNAME: 'spec', KAFKA_SASL_PASSWORD: 'spec-password' };

const box = (secret?: string) => new SecretBox({ AUTH_KEY_ENCRYPTION_SECRET: secret } as AuthConfig);
const TOTP = 'JBSWY3DPEHPK3PXPJBSWY3DP';

describe('SecretBox', () => {
  it('seals with AES-GCM: the stored form holds no trace of the secret and opens again', () => {
    const sealed = box('a-long-enough-secret-1').seal(TOTP);
    expect(sealed).toMatch(/^v1\.aesgcm\./);
    expect(sealed).not.toContain(TOTP);
    expect(Buffer.from(sealed.slice('v1.aesgcm.'.length), 'base64url').toString('latin1')).not.toContain(TOTP);
    expect(box('a-long-enough-secret-1').open(sealed)).toBe(TOTP);
    expect(() => box('another-secret-00000').open(sealed)).toThrow();
  });

  it('marks a secret a development run stored in clear for sealing once a key is configured', () => {
    const clear = box().seal(TOTP);
    expect(clear).toMatch(/^v1\.plain\./);
    expect(box().needsSealing(clear)).toBe(false);
    const keyed = box('a-long-enough-secret-1');
    expect(keyed.needsSealing(clear)).toBe(true);
    expect(keyed.open(clear)).toBe(TOTP);
    expect(keyed.needsSealing(keyed.seal(TOTP))).toBe(false);
  });
});

describe('auth config', () => {
  it('requires AUTH_KEY_ENCRYPTION_SECRET unless PORTAL_ENV=development', () => {
    expect(() => loadAuthConfig({ ...KAFKA })).toThrow(
      /AUTH_KEY_ENCRYPTION_SECRET: required unless PORTAL_ENV=development/,
    );
    expect(() => loadAuthConfig({ ...KAFKA, PORTAL_ENV: 'production' })).toThrow(/AUTH_KEY_ENCRYPTION_SECRET/);
    expect(
      loadAuthConfig({ ...KAFKA, PORTAL_ENV: 'production', AUTH_KEY_ENCRYPTION_SECRET: 'a-long-enough-secret-1' }),
    ).toMatchObject({ PORTAL_ENV: 'production' });
    expect(loadAuthConfig({ ...KAFKA, PORTAL_ENV: 'development' }).AUTH_KEY_ENCRYPTION_SECRET).toBeUndefined();
  });
});
