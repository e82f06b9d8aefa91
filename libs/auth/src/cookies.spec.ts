import { cameOverHttps, clearCookieValue, readCookie, setCookieValue } from './cookies';

describe('readCookie', () => {
  it('finds one cookie among several', () => {
    expect(readCookie('a=1; portal_queue_board=eyJ.x.y; b=2', 'portal_queue_board')).toBe('eyJ.x.y');
  });

  it('does not match a cookie whose name only ends with the one asked for', () => {
    expect(readCookie('xportal=1', 'portal')).toBeUndefined();
  });

  it('treats an absent header, an empty value and broken encoding as no cookie', () => {
    expect(readCookie(undefined, 'a')).toBeUndefined();
    expect(readCookie('a=', 'a')).toBeUndefined();
    expect(readCookie('a=%E0%A4%A', 'a')).toBeUndefined();
  });
});

describe('cameOverHttps', () => {
  it('trusts a TLS socket or the first x-forwarded-proto hop', () => {
    expect(cameOverHttps({}, true)).toBe(true);
    expect(cameOverHttps({ 'x-forwarded-proto': 'https, http' }, false)).toBe(true);
    expect(cameOverHttps({ 'x-forwarded-proto': 'http' }, false)).toBe(false);
    expect(cameOverHttps({}, false)).toBe(false);
  });
});

describe('setCookieValue and clearCookieValue', () => {
  // The headers Express's res.cookie and res.clearCookie wrote for these options, byte for byte.
  it('writes a session cookie as Express did', () => {
    expect(setCookieValue('portal_refresh', 'a.b-c_d', { path: '/api/v1/auth', secure: false })).toBe(
      'portal_refresh=a.b-c_d; Path=/api/v1/auth; HttpOnly; SameSite=Strict',
    );
    expect(setCookieValue('c', 'x y;z', { path: '/p', secure: true })).toBe(
      'c=x%20y%3Bz; Path=/p; HttpOnly; Secure; SameSite=Strict',
    );
  });

  it('removes a cookie with an empty value that expired at the epoch', () => {
    expect(clearCookieValue('portal_refresh', { path: '/api/v1/auth', secure: true })).toBe(
      'portal_refresh=; Path=/api/v1/auth; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Strict',
    );
  });
});
