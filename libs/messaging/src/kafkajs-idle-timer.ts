/** What the fix touches of kafkajs's per-connection request queue (kafkajs/src/network/requestQueue, 2.2.4). */
interface RequestQueueInternals {
  pending: unknown[];
  /** Epoch ms until which the broker asked this client to hold requests; -1 when it never did. */
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** kafkajs's own delay before another look at requests held back by the in-flight limit. */
const PENDING_CHECK_MS = 10;

let installed = false;

/**
 * kafkajs 2.2.4 (its last release) keeps a 1 ms timer going on every broker connection once the connection has
 * answered a request: its request queue's check schedules the next check whether or not a request waits, with a
 * delay of `throttledUntil - now`, negative when no throttle is on, which Node runs after 1 ms (kafkajs issues
 * #1556 and #1704; the fix in PR #1667 was never released). An idle app with a consumer and a producer spent
 * about 3 % of a core on it (README "Logins, session 11"). Replaced here by a check that is scheduled only when
 * a request waits or a throttle is on, as the method's own comment describes it; a request that cannot be sent
 * when pushed still schedules its check, and every answer still runs one. Idempotent; call before connecting.
 */
export function stopKafkajsIdleTimer(): void {
  if (installed) return;
  installed = true;
  // The queue class is internal to kafkajs (no typings); kafkajs has no `exports` map, so the path resolves.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const RequestQueue = require('kafkajs/src/network/requestQueue') as { prototype: RequestQueueInternals };
  RequestQueue.prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(
    this: RequestQueueInternals,
  ): void {
    if (this.throttleCheckTimeoutId) return;
    const throttledForMs = this.throttledUntil - Date.now();
    if (this.pending.length === 0 && throttledForMs <= 0) return;
    this.throttleCheckTimeoutId = setTimeout(
      () => {
        this.throttleCheckTimeoutId = null;
        this.checkPendingRequests();
      },
      throttledForMs > 0 ? throttledForMs : PENDING_CHECK_MS,
    );
  };
}
