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
});
