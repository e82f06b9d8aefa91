import { authOptionsFromConfig } from './auth-options';

describe('authOptionsFromConfig', () => {
  it('points at the JWKS of the auth service whether or not its URL ends with a slash', () => {
    for (const url of ['http://127.0.0.1:3001', 'http://127.0.0.1:3001/']) {
      const redis = { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: 'p:', AUTH_TOKEN_REVOCATION_CACHE_MS: 5000 };
      expect(authOptionsFromConfig({ AUTH_URL: url, JWT_ISSUER: 'iss', JWT_AUDIENCE: 'aud', ...redis })).toEqual({
        jwksUrl: 'http://127.0.0.1:3001/.well-known/jwks.json',
        issuer: 'iss',
        audience: 'aud',
        revocations: { redisUrl: 'redis://127.0.0.1:6379', redisPrefix: 'p:', cacheMs: 5000 },
      });
    }
  });
});
