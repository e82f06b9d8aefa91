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

/** Decides a try; the caller must decrement `attemptsLeft` on 'mismatch' and clear the code on 'ok'. */
export function checkCode(
  stored: StoredCode | null | undefined,
  purpose: string,
  subject: string,
  code: string,
  now: Date,
): CodeCheck {
  if (!stored) return 'missing';
  if (stored.attemptsLeft <= 0) return 'exhausted';
  if (now.getTime() >= new Date(stored.expiresAt).getTime()) return 'expired';
  const a = Buffer.from(stored.hash, 'hex');
  const b = Buffer.from(hashCode(purpose, subject, code), 'hex');
  return a.length === b.length && timingSafeEqual(a, b) ? 'ok' : 'mismatch';
}
