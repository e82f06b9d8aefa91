import { cameOverHttps, readCookie } from './cookies';

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
