import type { Clock } from '@app/platform';
import { RandomSource } from '../common/random';
import type { IdentityEventFactory } from '../users/identity-event-factory';
import { CODE_POLICIES, OneTimeCodes } from './one-time-codes';

describe('OneTimeCodes', () => {
  const now = new Date('2026-12-06T12:00:00Z');
  const clock: Clock = { now: () => now };
  const events = { create: (_definition: unknown, key: string, data: unknown) => ({ key, data }) };
  const codes = new OneTimeCodes(new RandomSource(), clock, events as unknown as IdentityEventFactory);
  const spend = () => Promise.resolve(true);

  it('issues each kind by its policy: length, alphabet, expiry and tries', () => {
    for (const [kind, policy] of Object.entries(CODE_POLICIES)) {
      const { code, stored } = codes.issue(kind as keyof typeof CODE_POLICIES, 'usr_1');
      expect(code).toHaveLength(policy.length);
      expect([...code].every((c) => policy.alphabet.includes(c))).toBe(true);
      expect(stored.expiresAt.getTime() - now.getTime()).toBe(policy.ttlMs);
      expect(stored.attemptsLeft).toBe(policy.attempts);
      expect(stored).not.toHaveProperty('code');
    }
  });

  it('accepts a code only for its own kind and subject', async () => {
    const { code, stored } = codes.issue('email', 'usr_1');
    await expect(codes.check('email', stored, 'usr_1', code, spend)).resolves.toBe('ok');
    await expect(codes.check('reset', stored, 'usr_1', code, spend)).resolves.toBe('mismatch');
    await expect(codes.check('email', stored, 'usr_2', code, spend)).resolves.toBe('mismatch');
  });

  it('takes a letter code typed in lower case', async () => {
    const { code, stored } = codes.issue('letter', 'usr_1:adr_1');
    await expect(codes.check('letter', stored, 'usr_1:adr_1', code.toLowerCase(), spend)).resolves.toBe('ok');
  });

  it('builds the email verification event with the code it stores', async () => {
    const user = { _id: 'usr_1', email: 'jane@example.com', firstName: 'Jane' };
    const { code, stored, event } = codes.emailVerification(user);
    expect(event).toEqual({
      key: 'usr_1',
      data: { userId: 'usr_1', email: user.email, firstName: 'Jane', code, expiresAt: stored.expiresAt.toISOString() },
    });
    await expect(codes.check('email', stored, 'usr_1', code, spend)).resolves.toBe('ok');
  });
});
