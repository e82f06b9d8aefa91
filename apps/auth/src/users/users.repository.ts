import type { EventEnvelope } from '@app/contracts';
import { OutboxRelay, toOutboxEntries } from '@app/messaging';
import { ConditionalUpdates, WriteClaims } from '@app/persistence';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, UpdateQuery } from 'mongoose';
import { emailClaimId, usernameClaimId } from '../common/normalize';
import { ClaimHints } from './claim-hints';
import { LoginUserCache } from './login-user-cache';
import type { StoredCode } from '../codes/one-time-code';
import {
  IDENTITY_CLAIM_MODEL,
  USER_MODEL,
  type AddressEntry,
  type IdentityClaimDocument,
  type MfaState,
  type UserCodes,
  type UserDocument,
} from './user.schema';
import { Clock } from '@app/platform';

const DUPLICATE_KEY = 11000;

/** The profile fields a PATCH /me may change. */
export type ProfileFields = Partial<
  Pick<
    UserDocument,
    | 'firstName'
    | 'lastName'
    | 'companyName'
    | 'timeZone'
    | 'language'
    | 'email'
    | 'emailVerified'
    | 'phone'
    | 'phoneVerified'
  >
>;

/** One write of a PATCH /me. */
export interface ProfileChange {
  fields: ProfileFields;
  /** the code sent to a new email, which replaces any earlier one */
  emailCode?: StoredCode;
  /** a new phone number voids its pending code and the time the old one was verified */
  phoneChanged: boolean;
}

/** A login name is a username, or an email when it has an `@`. */
function loginClaimId(login: string): string {
  return login.includes('@') ? emailClaimId(login) : usernameClaimId(login);
}

function holdsClaim(user: UserDocument, claimId: string): boolean {
  return usernameClaimId(user.username) === claimId || emailClaimId(user.email) === claimId;
}

/** Usernames and emails whose user this process remembers (a few MB at most). */
const CLAIM_HINTS = 50_000;

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === DUPLICATE_KEY;
}

/** Users and their username/email claims; every write that causes events pushes them to the user's outbox. */
@Injectable()
export class UsersRepository implements OnModuleInit {
  /** Every write of a user document: the relay's removal of published events takes the same lock. */
  private readonly updates: ConditionalUpdates<UserDocument>;
  private readonly hints = new ClaimHints(CLAIM_HINTS);

  constructor(
    @InjectModel(USER_MODEL) private readonly users: Model<UserDocument>,
    @InjectModel(IDENTITY_CLAIM_MODEL) private readonly claims: Model<IdentityClaimDocument>,
    private readonly relay: OutboxRelay,
    private readonly clock: Clock,
    private readonly loginUsers: LoginUserCache,
  ) {
    this.updates = new ConditionalUpdates(users, WriteClaims.of(users));
  }

  onModuleInit(): void {
    this.relay.watch(this.users, { lock: this.updates.lock });
  }

  /** Claims a normalised key for a user; false when someone else holds it. */
  async claim(claimId: string, userId: string): Promise<boolean> {
    try {
      await this.claims.create({ _id: claimId, userId, createdAt: this.clock.now() });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async release(claimId: string, userId: string): Promise<void> {
    await this.claims.deleteOne({ _id: claimId, userId });
  }

  async findById(userId: string): Promise<UserDocument | null> {
    // The driver's own point read (what a lean findById sends): every login makes it, and mongoose's
    // query machinery adds CPU and nothing else to it.
    return this.users.collection.findOne<UserDocument>({ _id: userId } as Record<string, unknown>);
  }

  async findByUsername(username: string): Promise<UserDocument | null> {
    return this.findByClaim(usernameClaimId(username));
  }

  async findByEmail(email: string): Promise<UserDocument | null> {
    return this.findByClaim(emailClaimId(email));
  }

  /** A login name is a username, or an email when it has an `@`. */
  async findByLogin(login: string): Promise<UserDocument | null> {
    return this.findByClaim(loginClaimId(login));
  }

  /**
   * The user a login names, for a password login: from this process's copy while the user's
   * generation says it is current (LoginUserCache), else from the store. Other flows read the store.
   */
  async findForLogin(login: string): Promise<UserDocument | null> {
    return this.findByClaim(loginClaimId(login), true);
  }

  /** The user this process last found for a login name, unchecked (see findByClaim); undefined when none. */
  hintedUserId(login: string): string | undefined {
    return this.hints.peek(loginClaimId(login));
  }

  /**
   * The user a username or email names. Every login asks, so this process remembers the answer as a
   * hint, taken only when the user it names still has that username or email (else the claim
   * document, which stays the authority, is read). For a login (`kept`) the hinted user itself comes
   * from this process's copy while the user's generation in Redis says it has not changed since
   * (LoginUserCache), else from one store read; an unknown name costs the claim read that finds nothing.
   */
  private async findByClaim(claimId: string, kept = false): Promise<UserDocument | null> {
    const hinted = this.hints.get(claimId);
    if (hinted) {
      const user = kept ? await this.findKept(hinted) : await this.findById(hinted);
      if (user && holdsClaim(user, claimId)) return user;
      this.hints.delete(claimId);
    }
    const claim = await this.claims.findById(claimId).lean<IdentityClaimDocument>().exec();
    const user = claim ? await (kept ? this.findKept(claim.userId) : this.findById(claim.userId)) : null;
    if (user) this.hints.set(claimId, user._id);
    return user;
  }

  /** The user from this process's copy when its generation is current, else from the store (then kept). */
  private async findKept(userId: string): Promise<UserDocument | null> {
    const readAt = Date.now();
    const generation = await this.loginUsers.generation(userId);
    const kept = generation === null ? undefined : this.loginUsers.get(userId, generation);
    if (kept) return kept;
    const user = await this.findById(userId);
    if (user && generation !== null) this.loginUsers.set(user, generation, readAt);
    return user;
  }

  async create(user: UserDocument): Promise<void> {
    await this.users.create({ ...user, outbox: toOutboxEntries(user.outbox) });
    await this.flush(user._id, user.outbox);
  }

  /** Records events about the user (their outbox) with no other change. */
  async recordEvents(userId: string, events: EventEnvelope[]): Promise<void> {
    await this.update(userId, {}, events);
  }

  /**
   * Writes a PATCH /me while the fields in `whileUnchanged` are as read (null for a missing one);
   * false when one changed meanwhile.
   */
  async updateProfile(
    userId: string,
    change: ProfileChange,
    events: EventEnvelope[],
    whileUnchanged: Record<string, unknown>,
  ): Promise<boolean> {
    const set: Record<string, unknown> = { ...change.fields };
    if (change.emailCode) set['codes.email'] = change.emailCode;
    const unset = change.phoneChanged ? { $unset: { 'codes.phone': 1, phoneVerifiedAt: 1 } } : {};
    return this.update(userId, { $set: set, ...unset }, events, whileUnchanged);
  }

  /**
   * Puts a new code in `codes.<slot>`, which voids the one there; with `whileUnchanged`, only while
   * those fields are as read (false when not).
   */
  async storeCode(
    userId: string,
    slot: keyof UserCodes,
    stored: StoredCode,
    events: EventEnvelope[] = [],
    whileUnchanged: Partial<Pick<UserDocument, 'email' | 'emailVerified'>> = {},
  ): Promise<boolean> {
    return this.update(userId, { $set: { [`codes.${slot}`]: stored } }, events, whileUnchanged);
  }

  /** Marks the email verified and spends its code, only while the code with `codeHash` is the stored one. */
  async markEmailVerified(userId: string, codeHash: string, events: EventEnvelope[]): Promise<boolean> {
    return this.update(userId, { $set: { emailVerified: true }, $unset: { 'codes.email': 1 } }, events, {
      'codes.email.hash': codeHash,
    });
  }

  /** Marks the phone verified at `at` and spends its code, only while the code with `codeHash` is the stored one. */
  async markPhoneVerified(userId: string, codeHash: string, at: Date, events: EventEnvelope[]): Promise<boolean> {
    return this.update(
      userId,
      { $set: { phoneVerified: true, phoneVerifiedAt: at }, $unset: { 'codes.phone': 1 } },
      events,
      { 'codes.phone.hash': codeHash },
    );
  }

  /**
   * Stores a new password hash changed at `at`, which also ends the sessions begun before; with
   * `spentResetCode`, only while that reset code (its hash) is the stored one, and spends it.
   */
  async setPassword(
    userId: string,
    passwordHash: string,
    at: Date,
    events: EventEnvelope[],
    spentResetCode?: string,
  ): Promise<boolean> {
    const set = { $set: { passwordHash, passwordChangedAt: at, sessionsValidAfter: at } };
    return spentResetCode === undefined
      ? this.update(userId, set, events)
      : this.update(userId, { ...set, $unset: { 'codes.reset': 1 } }, events, { 'codes.reset.hash': spentResetCode });
  }

  /** Keeps a sealed TOTP secret until its first code enables it. */
  async setPendingMfaSecret(userId: string, sealedSecret: string): Promise<void> {
    await this.update(userId, { $set: { 'mfa.pendingSecret': sealedSecret } });
  }

  /** Replaces the MFA state (enrolment, or removal with `{ enabled: false, recoveryCodes: [] }`). */
  async setMfa(userId: string, mfa: MfaState, events: EventEnvelope[]): Promise<void> {
    await this.update(userId, { $set: { mfa } }, events);
  }

  /**
   * Records TOTP time step `step` as used, only while the last used step is still `lastStep` (so a
   * code works once); `resealedSecret` replaces a secret stored in clear. False when it changed meanwhile.
   */
  async spendTotpStep(
    userId: string,
    step: number,
    lastStep: number | undefined,
    resealedSecret?: string,
  ): Promise<boolean> {
    const reseal = resealedSecret === undefined ? {} : { 'mfa.secret': resealedSecret };
    return this.update(userId, { $set: { 'mfa.lastStep': step, ...reseal } }, [], { 'mfa.lastStep': lastStep ?? null });
  }

  /** Spends the recovery code with `hash`; false when it is not (or no longer) there. */
  async spendRecoveryCode(userId: string, hash: string): Promise<boolean> {
    return this.update(userId, { $pull: { 'mfa.recoveryCodes': hash } }, [], { 'mfa.recoveryCodes': hash });
  }

  /**
   * Replaces the address book with `next`, only while it is still `read`: a concurrent change makes
   * this write miss (false) instead of being lost.
   */
  async replaceAddresses(
    userId: string,
    read: AddressEntry[],
    next: AddressEntry[],
    events: EventEnvelope[] = [],
  ): Promise<boolean> {
    return this.update(userId, { $set: { addresses: next } }, events, { addresses: read });
  }

  /**
   * Spends one try of the code in `codes.<slot>`, only while that slot still holds the code with
   * `hash` and has tries left; false when it did not (used up, replaced, or consumed meanwhile).
   */
  async spendCodeTry(userId: string, slot: keyof UserCodes, hash: string): Promise<boolean> {
    return this.update(userId, { $inc: { [`codes.${slot}.attemptsLeft`]: -1 } }, [], {
      [`codes.${slot}.hash`]: hash,
      [`codes.${slot}.attemptsLeft`]: { $gt: 0 },
    });
  }

  async usernameTaken(username: string): Promise<boolean> {
    return (await this.claims.exists({ _id: usernameClaimId(username) })) !== null;
  }

  /**
   * One write of the user document with its events, made only when it matches `condition` (a
   * compare-and-set; see ConditionalUpdates); returns false when nothing matched.
   */
  private async update(
    userId: string,
    update: UpdateQuery<UserDocument>,
    events: EventEnvelope[] = [],
    condition: Record<string, unknown> = {},
  ): Promise<boolean> {
    const write: UpdateQuery<UserDocument> = {
      ...update,
      $set: { ...(update.$set ?? {}), updatedAt: this.clock.now() },
    };
    if (events.length > 0) write.$push = { ...(update.$push ?? {}), outbox: { $each: toOutboxEntries(events) } };
    if ((await this.updates.updateIf(userId, condition, write)) === null) return false;
    // After the store write: a copy kept for logins from before it is not used again.
    await this.loginUsers.changed(userId);
    await this.flush(userId, events);
    return true;
  }

  private async flush(userId: string, events: EventEnvelope[]): Promise<void> {
    if (events.length > 0) await this.relay.flush(this.users, [userId]);
  }
}
