import { randomBytes, randomUUID } from 'node:crypto';
import { familyIdOfRefreshToken, hashRefreshToken, makeRefreshToken } from './refresh-token';

describe('refresh token format', () => {
  const familyId = `fam_${randomUUID().replace(/-/g, '')}`;
  const secret = randomBytes(32).toString('base64url');

  it('names its session, so the session document is read by _id', () => {
    expect(familyIdOfRefreshToken(makeRefreshToken(familyId, secret))).toBe(familyId);
  });

  it('treats an opaque token of the older format as naming no session', () => {
    expect(familyIdOfRefreshToken(secret)).toBeUndefined();
  });

  it('names no session for a token whose secret is missing or short, or whose id is not a session id', () => {
    expect(familyIdOfRefreshToken(`${familyId}-`)).toBeUndefined();
    expect(familyIdOfRefreshToken(`${familyId}-short`)).toBeUndefined();
    expect(familyIdOfRefreshToken(`usr_${familyId.slice(4)}-${secret}`)).toBeUndefined();
    expect(familyIdOfRefreshToken(`${familyId}.${secret}`)).toBeUndefined();
  });

  it('keeps to base64url characters, so a token is never mistaken for a JWT', () => {
    expect(makeRefreshToken(familyId, secret)).toMatch(/^[\w-]+$/);
  });

  it('stores tokens by a hash that differs for every token of a session', () => {
    const a = makeRefreshToken(familyId, secret);
    const b = makeRefreshToken(familyId, randomBytes(32).toString('base64url'));
    expect(hashRefreshToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRefreshToken(a)).not.toBe(hashRefreshToken(b));
  });
});
