import argon2 from 'argon2';
import { ARGON2_MAX_CONCURRENCY, PasswordHasher } from './password-hasher';

describe('PasswordHasher', () => {
  afterEach(() => jest.restoreAllMocks());

  it('runs no more argon2 verifies at once than there are cores; the rest wait their turn', async () => {
    let inFlight = 0;
    let peak = 0;
    jest.spyOn(argon2, 'verify').mockImplementation(async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return true;
    });
    const hasher = new PasswordHasher();
    const results = await Promise.all(
      Array.from({ length: ARGON2_MAX_CONCURRENCY * 3 }, () => hasher.verify('h', 'p')),
    );
    expect(results.every(Boolean)).toBe(true);
    expect(peak).toBe(ARGON2_MAX_CONCURRENCY);
  });

  it('verifies a real argon2id hash exactly once per call', async () => {
    const hasher = new PasswordHasher();
    const hash = await hasher.hash('correct horse battery staple');
    const verify = jest.spyOn(argon2, 'verify');
    await expect(hasher.verify(hash, 'correct horse battery staple')).resolves.toBe(true);
    await expect(hasher.verify(hash, 'wrong')).resolves.toBe(false);
    expect(verify).toHaveBeenCalledTimes(2);
  });

  it('stores argon2id with at least 19 MiB, 2 passes and 1 lane (OWASP), as its PHC string says', async () => {
    const hash = await new PasswordHasher().hash('correct horse battery staple');
    const phc = /^\$(argon2(?:id|i|d))\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(hash);
    expect(phc).not.toBeNull();
    const [, type, version, memoryKiB, passes, lanes] = phc!;
    expect(type).toBe('argon2id');
    expect(Number(version)).toBe(19);
    expect(Number(memoryKiB)).toBeGreaterThanOrEqual(19 * 1024);
    expect(Number(passes)).toBe(2);
    expect(Number(lanes)).toBe(1);
  });
});
