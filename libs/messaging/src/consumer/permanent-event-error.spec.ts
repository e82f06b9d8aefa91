import { isPermanentEventError, PermanentEventError, retryDelayMs } from './permanent-event-error';

describe('failure classification', () => {
  it('treats a PermanentEventError, or an error caused by one, as permanent', () => {
    expect(isPermanentEventError(new PermanentEventError('no such label'))).toBe(true);
    expect(isPermanentEventError(new Error('wrapped', { cause: new PermanentEventError('x') }))).toBe(true);
  });

  it('treats unknown errors and store outages as transient', () => {
    expect(isPermanentEventError(new Error('connect ECONNREFUSED 127.0.0.1:27017'))).toBe(false);
    expect(isPermanentEventError('boom')).toBe(false);
    expect(isPermanentEventError(undefined)).toBe(false);
  });
});

describe('retry delay', () => {
  it('doubles from the base and stays at the cap however long the outage lasts', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 200, 5000))).toEqual([200, 400, 800, 1600]);
    expect(retryDelayMs(6, 200, 5000)).toBe(5000);
    expect(retryDelayMs(10_000, 200, 5000)).toBe(5000);
  });
});
