/**
 * A failure that says nothing about the request, only that it cannot be done safely right now (a record held by
 * another writer past the wait, a writer that stalled past its claim, an index in Redis that must be written
 * before the store): the exceptions filter answers 503 with `Retry-After`, never a 500, and nothing was written.
 */
export class RetryLaterError extends Error {
  constructor(
    message: string,
    /** Seconds a client should wait before trying again. */
    readonly retryAfterSeconds = 1,
  ) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

/** The message a client reads for a RetryLaterError (the error's own message is for the log). */
export const RETRY_LATER_MESSAGE =
  'this change cannot be made safely right now; nothing was changed, try again shortly';
