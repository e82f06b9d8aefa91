import { authOptionsFromConfig } from './auth-options';

describe('authOptionsFromConfig', () => {
  it('points at the JWKS of the auth service whether or not its URL ends with a slash', () => {
    for (const url of ['http://127.0.0.1:3001', 'http://127.0.0.1:3001/']) {
      expect(authOptionsFromConfig({ AUTH_URL: url, JWT_ISSUER: 'iss', JWT_AUDIENCE: 'aud' })).toEqual({
        jwksUrl: 'http://127.0.0.1:3001/.well-known/jwks.json',
        issuer: 'iss',
        audience: 'aud',
      });
    }
  });
});
