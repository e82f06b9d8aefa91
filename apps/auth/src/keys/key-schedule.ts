/** How often each auth replica reloads the signing keys from the database (and so learns of a rotation). */
export const KEY_RELOAD_MS = 60_000;

/** How often verifiers (libs/auth `jwksRefreshMs`, default 30 s) reload the JWKS on their own. */
export const VERIFIER_REFRESH_MS = 30_000;

/**
 * How long a new key is published before it signs: every replica has reloaded by then, and every
 * verifier has refreshed its key set since, so no token with the new kid depends on a verifier's
 * rate-limited fetch of an unknown kid (which forged kids could use up).
 */
export const SIGNING_DELAY_MS = KEY_RELOAD_MS + VERIFIER_REFRESH_MS;

export interface ScheduledKey {
  createdAt: Date;
}

/**
 * The key to sign with at `now`, from keys sorted newest first: the newest key that every replica has had
 * time to load and so lists in its JWKS, and every verifier to learn (SIGNING_DELAY_MS). A verifier that meets a new `kid` fetches the JWKS from whichever
 * replica answers; signing with a key younger than the reload period would let a replica that has not
 * reloaded yet answer without it, and the token would be refused. With no such key (first start) the oldest
 * key signs, so replicas that raced to make the first key agree.
 */
export function signingKeyAt<T extends ScheduledKey>(keys: readonly T[], now: number): T | undefined {
  return keys.find((key) => now - new Date(key.createdAt).getTime() >= SIGNING_DELAY_MS) ?? keys.at(-1);
}

/**
 * The keys the JWKS lists at `now`, from keys sorted newest first: the newest (published before it signs),
 * and every older key until the last token it can have signed has expired. A key signs until its successor
 * is SIGNING_DELAY_MS old, and a replica that has not reloaded by then signs with it no later either.
 */
export function publishedKeysAt<T extends ScheduledKey>(keys: readonly T[], now: number, maxTokenTtlMs: number): T[] {
  return keys.filter((key, index) => {
    if (index === 0) return true;
    const retiredAt = new Date(keys[index - 1].createdAt).getTime() + SIGNING_DELAY_MS;
    // one more reload period of slack for clocks that disagree between replicas
    return now - retiredAt < maxTokenTtlMs + KEY_RELOAD_MS;
  });
}
