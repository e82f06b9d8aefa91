import { AccountLockedV1 } from '@app/contracts';
import { HttpException, HttpStatus, Injectable, UnauthorizedException } from '@nestjs/common';
import { normalizeUsername } from '../common/normalize';
import { PasswordHasher } from '../passwords/password-hasher';
import { IdentityEventFactory } from '../users/identity-event-factory';
import type { UserDocument } from '../users/user.schema';
import { UsersRepository } from '../users/users.repository';
import { LockoutService, type LockoutState } from './lockout.service';
import { Clock } from '@app/platform';

/** 429 with the seconds to wait (the shared error filter also sends them as `Retry-After`). */
export class LockedOutException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super({ message: 'too many failed logins; try again later', retryAfterSeconds }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/** The key failures are counted under: the account when known, else the login name as typed. */
export function lockoutKey(user: Pick<UserDocument, '_id'> | null, login: string): string {
  return user ? `user:${user._id}` : `login:${normalizeUsername(login)}`;
}

/**
 * Every place that checks a password (login, and a signed-in user asked for it again before a
 * sensitive change) counts wrong ones toward the same lockout, so a stolen access token cannot be
 * used to guess the password without limit.
 */
@Injectable()
export class PasswordGuard {
  constructor(
    private readonly lockout: LockoutService,
    private readonly hasher: PasswordHasher,
    private readonly users: UsersRepository,
    private readonly events: IdentityEventFactory,
    private readonly clock: Clock,
  ) {}

  /** Refuses while locked; true when failures are on record (a success then clears them). */
  async assertNotLocked(key: string): Promise<boolean> {
    return this.refuseWhileLocked(await this.lockout.state(key));
  }

  /** assertNotLocked with the lockout state already read. */
  refuseWhileLocked({ lockedMs, counted }: LockoutState): boolean {
    if (lockedMs > 0) throw new LockedOutException(Math.ceil(lockedMs / 1000));
    return counted;
  }

  /** Counts a failure; when it locks the account, its owner is told (AccountLocked). */
  async registerFailure(key: string, user: UserDocument | null): Promise<void> {
    const { failures, lockedMs } = await this.lockout.registerFailure(key);
    if (lockedMs > 0 && user) {
      const lockedUntil = new Date(this.clock.now().getTime() + lockedMs).toISOString();
      await this.users.recordEvents(user._id, [
        this.events.create(AccountLockedV1, user._id, { userId: user._id, email: user.email, lockedUntil, failures }),
      ]);
    }
  }

  /** Asks a signed-in user for their password again: refused while locked, a wrong one counts. */
  async confirm(user: UserDocument, password: string): Promise<void> {
    const key = lockoutKey(user, user.username);
    await this.assertNotLocked(key);
    if (!(await this.hasher.verify(user.passwordHash, password))) {
      await this.registerFailure(key, user);
      throw new UnauthorizedException('current password is wrong');
    }
  }
}
