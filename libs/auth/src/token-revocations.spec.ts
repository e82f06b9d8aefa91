import { issuedBeforeChange, TokenRevocations } from './token-revocations';

const options = { redisUrl: 'redis://unused', redisPrefix: '', cacheMs: 1000 };

describe('issuedBeforeChange', () => {
  const change = Date.parse('2026-01-01T10:00:00.400Z');

  it('refuses a token issued before the password change, in the same second too', () => {
    expect(issuedBeforeChange((change - 1) / 1000, change)).toBe(true);
    expect(issuedBeforeChange((change - 3_600_000) / 1000, change)).toBe(true);
    // a token signed before iat carried milliseconds: 10:00:00.000 is before 10:00:00.400
    expect(issuedBeforeChange(Math.floor(change / 1000), change)).toBe(true);
  });

  it('accepts the token issued right after the change, within the same second', () => {
    expect(issuedBeforeChange(change / 1000, change)).toBe(false);
    expect(issuedBeforeChange((change + 1) / 1000, change)).toBe(false);
    expect(issuedBeforeChange((change + 599) / 1000, change)).toBe(false);
  });

  it('is exact to the millisecond despite floating point', () => {
    for (let ms = change; ms < change + 1000; ms++) {
      expect(issuedBeforeChange(ms / 1000, ms)).toBe(false);
      expect(issuedBeforeChange((ms - 1) / 1000, ms)).toBe(true);
    }
  });

  it('accepts every token of a user with no marker, and refuses one without iat when there is a marker', () => {
    expect(issuedBeforeChange((change - 1) / 1000, undefined)).toBe(false);
    expect(issuedBeforeChange(undefined, change)).toBe(true);
  });
});

describe('TokenRevocations', () => {
  it('reads a user marker once per cache period', async () => {
    const reads: string[] = [];
    const state: { marker?: number } = {};
    const revocations = new TokenRevocations({ ...options, cacheMs: 60_000 }, (userId) => {
      reads.push(userId);
      return Promise.resolve(state.marker);
    });
    expect(await revocations.isRevoked('u1', 100)).toBe(false);
    state.marker = 200_000;
    // cached: the absence of a marker is reused until the period ends
    expect(await revocations.isRevoked('u1', 100)).toBe(false);
    expect(reads).toEqual(['u1']);
    revocations.close();
  });

  it('sees a new marker once the cache period has passed', async () => {
    const state: { marker?: number } = {};
    const revocations = new TokenRevocations({ ...options, cacheMs: 50 }, () => Promise.resolve(state.marker));
    expect(await revocations.isRevoked('u1', 100)).toBe(false);
    state.marker = 200_000;
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await revocations.isRevoked('u1', 199.999)).toBe(true);
    expect(await revocations.isRevoked('u1', 200)).toBe(false);
    revocations.close();
  });

  it('reads every time with a cache of 0 ms', async () => {
    let reads = 0;
    const revocations = new TokenRevocations({ ...options, cacheMs: 0 }, () => {
      reads += 1;
      return Promise.resolve(5_000);
    });
    expect(await revocations.isRevoked('u1', 4)).toBe(true);
    expect(await revocations.isRevoked('u1', 5)).toBe(false);
    expect(reads).toBe(2);
  });

  it('accepts the token when the marker cannot be read, rather than sign everyone out', async () => {
    const revocations = new TokenRevocations({ ...options, cacheMs: 0 }, () => Promise.reject(new Error('down')));
    await expect(revocations.isRevoked('u1', 1)).resolves.toBe(false);
  });

  it('refuses a cache longer than 60 s', () => {
    expect(() => new TokenRevocations({ ...options, cacheMs: 60_001 }, () => Promise.resolve(undefined))).toThrow(
      /60000/,
    );
  });
});
