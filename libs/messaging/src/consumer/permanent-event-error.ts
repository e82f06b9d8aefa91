/**
 * Thrown by a handler for an event that can never succeed (it contradicts the stored state, refers
 * to what cannot exist...): the consumer dead-letters it at once. Any other error is taken as
 * transient and retried without end, so an outage never sends good events to the DLQ.
 */
export class PermanentEventError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentEventError';
  }
}

/** Whether an error means "never retry": a `PermanentEventError`, or an error caused by one. */
export function isPermanentEventError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof PermanentEventError || e.name === 'PermanentEventError') return true;
  }
  return false;
}

/** Delay before retry number `attempt` (1-based): doubling from `baseMs`, capped at `maxMs`. */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(baseMs * 2 ** Math.min(attempt - 1, 30), maxMs);
}
