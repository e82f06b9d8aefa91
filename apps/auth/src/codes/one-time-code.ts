import { createHash, timingSafeEqual } from 'node:crypto';

/** A one-time code as stored: only its hash, its expiry and how many tries are left. */
export interface StoredCode {
  hash: string;
  expiresAt: Date;
  attemptsLeft: number;
}

export type CodeCheck = 'ok' | 'mismatch' | 'expired' | 'exhausted' | 'missing';

/** Hash bound to a purpose and a subject so a code for one thing never opens another. */
export function hashCode(purpose: string, subject: string, code: string): string {
  return createHash('sha256').update(`${purpose}\u0000${subject}\u0000${code}`).digest('hex');
}

export function newStoredCode(
  purpose: string,
  subject: string,
  code: string,
  now: Date,
  ttlMs: number,
  attempts = 5,
): StoredCode {
  return { hash: hashCode(purpose, subject, code), expiresAt: new Date(now.getTime() + ttlMs), attemptsLeft: attempts };
}

/**
 * Decides a try. A try is spent before the code is compared: `spendTry` must be a conditional
 * write that takes one try only while the same code (same hash) still has tries left, and answer
 * false when that did not match; the code is compared only when it did, so parallel guesses can
 * never be evaluated more often than the code allows. On 'ok' the caller consumes the code with a
 * write conditional on the same hash (single use).
 */
export async function tryCode(
  stored: StoredCode | null | undefined,
  purpose: string,
  subject: string,
  code: string,
  now: Date,
  spendTry: (stored: StoredCode) => Promise<boolean>,
): Promise<CodeCheck> {
  if (!stored) return 'missing';
  if (stored.attemptsLeft <= 0) return 'exhausted';
  if (now.getTime() >= new Date(stored.expiresAt).getTime()) return 'expired';
  if (!(await spendTry(stored))) return 'exhausted';
  const a = Buffer.from(stored.hash, 'hex');
  const b = Buffer.from(hashCode(purpose, subject, code), 'hex');
  return a.length === b.length && timingSafeEqual(a, b) ? 'ok' : 'mismatch';
}
