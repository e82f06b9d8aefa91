import { decideRefresh, REFRESH_ABSOLUTE_LIFETIME_MS, REFRESH_IDLE_LIFETIME_MS } from './refresh-policy';

describe('decideRefresh', () => {
  const t0 = new Date('2025-01-01T00:00:00Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);
  const family = { userId: 'u1', createdAt: t0 };
  const token = { familyId: 'f1', userId: 'u1', issuedAt: t0 };

  it('rotates a fresh unused token', () => {
    expect(decideRefresh(token, family, null, at(1000))).toBe('rotate');
  });

  it('treats a second use of a rotated token as reuse', () => {
    expect(decideRefresh({ ...token, rotatedAt: at(10) }, family, null, at(1000))).toBe('reuse');
  });

  it('refuses tokens of a revoked family', () => {
    expect(decideRefresh(token, { ...family, revokedAt: at(5) }, null, at(1000))).toBe('revoked');
  });

  it('refuses sessions started before a password change', () => {
    expect(decideRefresh(token, family, at(500), at(1000))).toBe('revoked');
  });

  it('expires a token unused for the idle lifetime', () => {
    expect(decideRefresh(token, family, null, at(REFRESH_IDLE_LIFETIME_MS))).toBe('expired');
  });

  it('expires a family past the absolute lifetime even when used daily', () => {
    const recent = { ...token, issuedAt: at(REFRESH_ABSOLUTE_LIFETIME_MS - 1000) };
    expect(decideRefresh(recent, family, null, at(REFRESH_ABSOLUTE_LIFETIME_MS))).toBe('expired');
  });
});
