import { clientIpOf } from './org-audit';

describe('clientIpOf', () => {
  const socket = { remoteAddress: '10.0.0.5' } as never;

  it("takes the last X-Forwarded-For hop (the gateway's view of the caller), not a client-written first one", () => {
    expect(clientIpOf({ headers: { 'x-forwarded-for': '6.6.6.6, 203.0.113.7' }, socket })).toBe('203.0.113.7');
    expect(clientIpOf({ headers: { 'x-forwarded-for': ' 198.51.100.2 ' }, socket })).toBe('198.51.100.2');
  });

  it('falls back to the peer address', () => {
    expect(clientIpOf({ headers: {}, socket })).toBe('10.0.0.5');
  });
});
