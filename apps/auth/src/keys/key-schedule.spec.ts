import { KEY_RELOAD_MS, publishedKeysAt, SIGNING_DELAY_MS, signingKeyAt } from './key-schedule';

describe('signing key schedule', () => {
  const t0 = new Date('2025-01-01T00:00:00Z').getTime();
  const DAY_MS = 24 * 60 * 60_000;
  const TTL_MS = 15 * 60_000;
  const key = (kid: string, createdAt: number) => ({ kid, createdAt: new Date(createdAt) });
  const old = key('old', t0 - 30 * DAY_MS);
  const rotated = [key('new', t0), old];
  const kids = (keys: { kid: string }[]) => keys.map((k) => k.kid);

  it('signs with the only key at first start', () => {
    expect(signingKeyAt([key('first', t0)], t0)?.kid).toBe('first');
  });

  it('signs with the oldest key when replicas raced to make the first one', () => {
    expect(signingKeyAt([key('b', t0 + 5), key('a', t0)], t0 + 10)?.kid).toBe('a');
  });

  it('keeps signing with the old key until every replica has had time to load the new one', () => {
    // A replica that reloaded just before the rotation lists only the old key until its next reload.
    expect(signingKeyAt(rotated, t0)?.kid).toBe('old');
    expect(signingKeyAt(rotated, t0 + SIGNING_DELAY_MS - 1)?.kid).toBe('old');
    expect(signingKeyAt(rotated, t0 + SIGNING_DELAY_MS)?.kid).toBe('new');
  });

  it('publishes the new key before it signs with it', () => {
    expect(kids(publishedKeysAt(rotated, t0, TTL_MS))).toEqual(['new', 'old']);
  });

  it('publishes the old key until the last token it signed has expired', () => {
    const lastSignedAt = t0 + SIGNING_DELAY_MS;
    expect(kids(publishedKeysAt(rotated, lastSignedAt + TTL_MS, TTL_MS))).toEqual(['new', 'old']);
    expect(kids(publishedKeysAt(rotated, lastSignedAt + TTL_MS + KEY_RELOAD_MS, TTL_MS))).toEqual(['new']);
  });

  it('drops keys retired long ago', () => {
    const keys = [key('c', t0), key('b', t0 - 30 * DAY_MS), key('a', t0 - 60 * DAY_MS)];
    expect(kids(publishedKeysAt(keys, t0 + 1000, TTL_MS))).toEqual(['c', 'b']);
  });
});
