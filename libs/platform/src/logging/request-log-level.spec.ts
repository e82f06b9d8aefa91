import { requestLogLevel } from './request-log-level';

describe('requestLogLevel', () => {
  it.each(['/health/ready', '/health/live', '/metrics', '/.well-known/jwks.json', '/.well-known/jwks.json?x=1'])(
    'logs the routine %s at debug, even when it failed',
    (url) => {
      expect(requestLogLevel(url)).toBe('debug');
      expect(requestLogLevel(url, true)).toBe('debug');
    },
  );

  it.each(['/tracking/9400111899223197428490', '/auth/login', '/healthy-recipes', '/.well-known/jwks.json.bak'])(
    'logs %s at info',
    (url) => {
      expect(requestLogLevel(url)).toBe('info');
    },
  );

  it('logs a request whose handling threw at error', () => {
    expect(requestLogLevel('/labels', true)).toBe('error');
  });
});
