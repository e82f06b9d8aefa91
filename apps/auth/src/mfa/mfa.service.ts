import { MfaChangedV1 } from '@app/contracts';
import { ConflictException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { authenticator } from 'otplib';
import { createHash } from 'node:crypto';
import { InvalidCodeException } from '../common/errors';
import { RandomSource } from '../common/random';
import { SecretBox } from '../common/secret-box';
import { AUTH_CONFIG, type AuthConfig } from '../config';
import { lockoutKey, PasswordGuard } from '../lockout/password-guard';
import { IdentityEventFactory } from '../users/identity-event-factory';
import type { UserDocument } from '../users/user.schema';
import { UsersRepository } from '../users/users.repository';
import { Clock } from '@app/platform';

export const RECOVERY_CODE_COUNT = 10;
const STEP_SECONDS = 30;

export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(code.replace(/-/g, '').toLowerCase()).digest('hex');
}

@Injectable()
export class MfaService {
  constructor(
    private readonly guard: PasswordGuard,
    private readonly users: UsersRepository,
    private readonly secrets: SecretBox,
    private readonly events: IdentityEventFactory,
    private readonly random: RandomSource,
    private readonly clock: Clock,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  private totp() {
    return authenticator.clone({ epoch: this.clock.now().getTime(), window: 1, step: STEP_SECONDS });
  }

  private async user(userId: string): Promise<UserDocument> {
    const user = await this.users.findById(userId);
    if (!user) throw new UnauthorizedException('unknown user');
    return user;
  }

  async setup(userId: string): Promise<{ secret: string; otpauthUri: string }> {
    const user = await this.user(userId);
    if (user.mfa?.enabled) throw new ConflictException('TOTP is already enabled; disable it first');
    const secret = authenticator.generateSecret(20);
    await this.users.setPendingMfaSecret(userId, this.secrets.seal(secret));
    return { secret, otpauthUri: authenticator.keyuri(user.username, this.config.AUTH_TOTP_ISSUER, secret) };
  }

  /** Enrols TOTP and makes the recovery codes: with the password again, as a stolen token must not suffice. */
  async enable(userId: string, code: string, currentPassword: string): Promise<{ recoveryCodes: string[] }> {
    const user = await this.user(userId);
    await this.guard.confirm(user, currentPassword);
    if (user.mfa?.enabled) throw new ConflictException('TOTP is already enabled');
    if (!user.mfa?.pendingSecret) throw new ConflictException('start with POST /auth/mfa/totp/setup');
    const secret = this.secrets.open(user.mfa.pendingSecret);
    if (!this.totp().check(code, secret)) throw new InvalidCodeException();
    const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
      const raw = this.random.token(8).replace(/[-_]/g, 'x').slice(0, 10).toLowerCase();
      return `${raw.slice(0, 5)}-${raw.slice(5)}`;
    });
    await this.users.setMfa(
      userId,
      {
        enabled: true,
        secret: user.mfa.pendingSecret,
        recoveryCodes: recoveryCodes.map(hashRecoveryCode),
        lastStep: this.currentStep(),
      },
      [this.events.create(MfaChangedV1, userId, { userId, email: user.email, enabled: true })],
    );
    return { recoveryCodes };
  }

  /**
   * Removes TOTP: with the password and a second factor (a TOTP code or a recovery code, spent), so
   * that neither a stolen session nor a stolen password alone turns it off. Wrong codes count toward
   * the same lockout as wrong passwords.
   */
  async disable(userId: string, currentPassword: string, code: string): Promise<void> {
    const user = await this.user(userId);
    await this.guard.confirm(user, currentPassword);
    if (!user.mfa?.enabled) return;
    if (!(await this.acceptLoginCode(user, code))) {
      await this.guard.registerFailure(lockoutKey(user, user.username), user);
      throw new UnauthorizedException('invalid one-time code');
    }
    await this.users.setMfa(userId, { enabled: false, recoveryCodes: [] }, [
      this.events.create(MfaChangedV1, userId, { userId, email: user.email, enabled: false }),
    ]);
  }

  private currentStep(): number {
    return Math.floor(this.clock.now().getTime() / 1000 / STEP_SECONDS);
  }

  /** A TOTP code (each time step once) or an unused recovery code, which is then spent. */
  async acceptLoginCode(user: UserDocument, code: string): Promise<boolean> {
    if (!user.mfa?.enabled || !user.mfa.secret) return false;
    if (/^\d{6}$/.test(code)) {
      const totp = this.totp();
      const secret = this.secrets.open(user.mfa.secret);
      const delta = totp.checkDelta(code, secret);
      if (delta === null) return false;
      const step = this.currentStep() + delta;
      if (user.mfa.lastStep !== undefined && step <= user.mfa.lastStep) return false;
      // A secret a development run stored in clear is sealed at its first use once a key is configured.
      const resealed = this.secrets.needsSealing(user.mfa.secret) ? this.secrets.seal(secret) : undefined;
      return this.users.spendTotpStep(user._id, step, user.mfa.lastStep, resealed);
    }
    const hash = hashRecoveryCode(code);
    if (!user.mfa.recoveryCodes.includes(hash)) return false;
    return this.users.spendRecoveryCode(user._id, hash);
  }
}
