/** Failed logins per username within the window that lock it. */
export const LOCKOUT_MAX_FAILURES = 10;
export const LOCKOUT_WINDOW_MS = 15 * 60_000;
export const LOCKOUT_BASE_MS = 15 * 60_000;
export const LOCKOUT_MAX_MS = 24 * 60 * 60_000;

/** The lock for the n-th lockout in a row (1-based): 15 min, doubling, capped at a day. */
export function lockDurationMs(lockLevel: number): number {
  const level = Math.max(1, Math.floor(lockLevel));
  return Math.min(LOCKOUT_MAX_MS, LOCKOUT_BASE_MS * 2 ** Math.min(level - 1, 16));
}
