import { lockDurationMs } from './lockout-policy';

describe('lockDurationMs', () => {
  it('locks for 15 minutes first, then doubles', () => {
    expect(lockDurationMs(1)).toBe(15 * 60_000);
    expect(lockDurationMs(2)).toBe(30 * 60_000);
    expect(lockDurationMs(3)).toBe(60 * 60_000);
  });

  it('never locks for more than a day', () => {
    expect(lockDurationMs(50)).toBe(24 * 60 * 60_000);
  });
});
