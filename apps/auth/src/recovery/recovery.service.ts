import {
  PasswordChangedV1,
  PasswordResetRequestedV1,
  RESET_SMS_PHONE_MIN_AGE_MS,
  UsernameReminderRequestedV1,
} from '@app/contracts';
import { Injectable, Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidCodeException, WeakPasswordException } from '../common/errors';
import { SendQuotas } from '../common/send-quotas';
import { OneTimeCodes } from '../codes/one-time-codes';
import { LockoutService } from '../lockout/lockout.service';
import { PasswordHasher } from '../passwords/password-hasher';
import { PasswordPolicy } from '../passwords/password-policy';
import { TokensValidAfter } from '../passwords/tokens-valid-after';
import { lockoutKey } from '../lockout/password-guard';
import { IdentityEventFactory } from '../users/identity-event-factory';
import type { UserDocument } from '../users/user.schema';
import { UsersRepository } from '../users/users.repository';
import { Clock } from '@app/platform';

/**
 * The phone a reset code may also go to: a verified one, verified at least RESET_SMS_PHONE_MIN_AGE_MS
 * ago, so that whoever just put their own number on the account (with a stolen session) cannot
 * receive the code. A phone verified before that time was recorded counts as verified long ago.
 */
export function resetCodePhone(
  user: Pick<UserDocument, 'phone' | 'phoneVerified' | 'phoneVerifiedAt'>,
  now: Date,
): string | undefined {
  if (!user.phone || !user.phoneVerified) return undefined;
  if (user.phoneVerifiedAt && now.getTime() - new Date(user.phoneVerifiedAt).getTime() < RESET_SMS_PHONE_MIN_AGE_MS) {
    return undefined;
  }
  return user.phone;
}

/**
 * A refused confirmation answers no sooner than this after arrival: a wrong code for a real account
 * costs a database write that an unknown username does not, and the difference must not show.
 */
export const RESET_CONFIRM_REFUSAL_FLOOR_MS = 200;

/**
 * Forgot username and password reset. Requests answer 202 at once and do the work afterwards, so
 * neither status nor timing tells whether an account exists.
 */
@Injectable()
export class RecoveryService {
  private readonly logger = new Logger(RecoveryService.name);
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly users: UsersRepository,
    private readonly policy: PasswordPolicy,
    private readonly hasher: PasswordHasher,
    private readonly lockout: LockoutService,
    private readonly tokensValidAfter: TokensValidAfter,
    private readonly codes: OneTimeCodes,
    private readonly events: IdentityEventFactory,
    private readonly clock: Clock,
    private readonly quotas: SendQuotas,
  ) {}

  /**
   * Whether this account may be sent another message of this kind now (SendQuotas: at most 5 per
   * account and kind in 15 minutes), so that nobody can flood an inbox (or phone) through these
   * public routes. The caller's answer is the same either way.
   */
  private async withinQuota(kind: string, userId: string): Promise<boolean> {
    const refusal = await this.quotas.mail(kind, userId);
    if (refusal) this.logger.warn(`${kind} for ${userId}: ${refusal.limit.reason}; not sent`);
    return !refusal;
  }

  forgotUsername(email: string): void {
    this.inBackground('forgot-username', async () => {
      const user = await this.users.findByEmail(email);
      if (!user || !(await this.withinQuota('username-reminder', user._id))) return;
      await this.users.recordEvents(user._id, [
        this.events.create(UsernameReminderRequestedV1, user._id, {
          userId: user._id,
          email: user.email,
          username: user.username,
        }),
      ]);
    });
  }

  /** Sends a new email verification code, which voids the previous one; nothing for a verified or unknown account. */
  resendEmailVerification(login: string): void {
    this.inBackground('email-verification-resend', async () => {
      const user = await this.users.findByLogin(login);
      if (!user || user.emailVerified || !(await this.withinQuota('email-verification', user._id))) return;
      const { stored, event } = this.codes.emailVerification(user);
      // Only while the address is still the one read and unverified: the code goes to that address.
      await this.users.storeCode(user._id, 'email', stored, [event], { email: user.email, emailVerified: false });
    });
  }

  requestReset(login: { username?: string; email?: string }): void {
    this.inBackground('password-reset-request', async () => {
      const user = login.email
        ? await this.users.findByEmail(login.email)
        : await this.users.findByLogin(login.username!);
      if (!user || !(await this.withinQuota('password-reset', user._id))) return;
      const { code, stored } = this.codes.issue('reset', user._id);
      // Overwriting the slot voids any older code.
      await this.users.storeCode(user._id, 'reset', stored, [
        this.events.create(PasswordResetRequestedV1, user._id, {
          userId: user._id,
          email: user.email,
          phone: resetCodePhone(user, this.clock.now()),
          code,
          expiresAt: stored.expiresAt.toISOString(),
        }),
      ]);
    });
  }

  async confirmReset(login: string, code: string, newPassword: string): Promise<void> {
    const started = performance.now();
    try {
      await this.tryConfirmReset(login, code, newPassword);
    } catch (error) {
      const wait = RESET_CONFIRM_REFUSAL_FLOOR_MS - (performance.now() - started);
      if (wait > 0) await sleep(wait);
      throw error;
    }
  }

  private async tryConfirmReset(login: string, code: string, newPassword: string): Promise<void> {
    const user = await this.users.findByLogin(login);
    if (!user) throw new InvalidCodeException();
    const stored = user.codes?.reset;
    const result = await this.codes.check('reset', stored, user._id, code, (s) =>
      this.users.spendCodeTry(user._id, 'reset', s.hash),
    );
    if (result !== 'ok') throw new InvalidCodeException();
    // The policy (slow, and about the account) only after the code: a wrong code for a real account
    // must answer as fast as for an unknown one.
    const reasons = this.policy.check(newPassword, user);
    if (reasons.length > 0) throw new WeakPasswordException(reasons, 'newPassword');
    await this.setPassword(user, newPassword, stored!.hash);
    await this.lockout.reset(lockoutKey(user, login));
  }

  /**
   * Stores a new password, voids every session and every access token issued before (in every app,
   * through the marker) and announces it; with `spentResetCode` (its hash), spends that reset code
   * and InvalidCodeException when it is no longer the stored one.
   */
  async setPassword(user: UserDocument, newPassword: string, spentResetCode?: string): Promise<void> {
    const now = this.clock.now();
    // The marker first: should the write below fail, older tokens are void for nothing (the owner
    // logs in again), while the other order could leave a thief's token alive beside a new password.
    await this.tokensValidAfter.set(user._id, now);
    const done = await this.users.setPassword(
      user._id,
      await this.hasher.hash(newPassword),
      now,
      [
        this.events.create(PasswordChangedV1, user._id, {
          userId: user._id,
          email: user.email,
          changedAt: now.toISOString(),
        }),
      ],
      spentResetCode,
    );
    if (!done) throw new InvalidCodeException();
  }

  /** Waits for background work (tests and shutdown). */
  async drain(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private inBackground(what: string, work: () => Promise<void>): void {
    const run = new Promise<void>((resolve) => setImmediate(resolve))
      .then(work)
      .catch((error: unknown) => this.logger.error({ err: error }, `${what} failed`))
      .finally(() => this.pending.delete(run));
    this.pending.add(run);
  }
}
