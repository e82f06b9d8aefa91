import { Inject, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { afterTimeCursor, decodeTimeCursor, encodeTimeCursor, pageOf, type Page } from '@app/platform';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { createHash } from 'node:crypto';
import { Clock } from '../common/clock';
import { RandomSource } from '../common/random';
import { AUTH_CONFIG, type AuthConfig } from '../config';
import { KeysService } from '../keys/keys.service';
import { LockoutService } from '../lockout/lockout.service';
import { lockoutKey, PasswordGuard } from '../lockout/password-guard';

export { LockedOutException, lockoutKey } from '../lockout/password-guard';
import { MfaService } from '../mfa/mfa.service';
import { PasswordHasher } from '../passwords/password-hasher';
import { IdentityEventFactory } from '../users/identity-event-factory';
import type { UserDocument } from '../users/user.schema';
import { UsersRepository } from '../users/users.repository';
import { decideRefresh, REFRESH_ABSOLUTE_LIFETIME_MS, REFRESH_IDLE_LIFETIME_MS } from './refresh-policy';
import {
  REFRESH_TOKEN_MODEL,
  TOKEN_FAMILY_MODEL,
  type RefreshTokenDocument,
  type TokenFamilyDocument,
} from './session.schema';

export const INVALID_LOGIN = 'invalid username or password';
export const INVALID_REFRESH = 'invalid or expired refresh token';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/** One of the caller's live login sessions, as `GET /auth/sessions` lists it. */
export interface SessionView {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  userAgent?: string;
  /** the session the calling access token was issued for */
  current: boolean;
}

/** How much of a User-Agent header a session keeps. */
const USER_AGENT_MAX = 200;

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

@Injectable()
export class SessionsService {
  constructor(
    private readonly guard: PasswordGuard,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly lockout: LockoutService,
    private readonly mfa: MfaService,
    private readonly keys: KeysService,
    private readonly events: IdentityEventFactory,
    private readonly random: RandomSource,
    private readonly clock: Clock,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    @InjectModel(REFRESH_TOKEN_MODEL) private readonly tokens: Model<RefreshTokenDocument>,
    @InjectModel(TOKEN_FAMILY_MODEL) private readonly families: Model<TokenFamilyDocument>,
  ) {}

  async login(login: string, password: string, otp?: string, userAgent?: string): Promise<TokenPair> {
    const user = await this.users.findByLogin(login);
    const key = lockoutKey(user, login);
    await this.guard.assertNotLocked(key);

    const passwordOk = user
      ? await this.hasher.verify(user.passwordHash, password)
      : await this.hasher.dummyVerify(password);
    if (!user || !passwordOk) {
      await this.guard.registerFailure(key, user);
      throw new UnauthorizedException(INVALID_LOGIN);
    }
    if (user.mfa?.enabled) {
      if (!otp) throw new UnauthorizedException({ message: 'a one-time code is required', mfaRequired: true });
      if (!(await this.mfa.acceptLoginCode(user, otp))) {
        await this.guard.registerFailure(key, user);
        throw new UnauthorizedException({ message: 'invalid one-time code', mfaRequired: true });
      }
    }
    await this.lockout.reset(key);
    return this.startSession(user, userAgent);
  }

  async startSession(user: UserDocument, userAgent?: string): Promise<TokenPair> {
    const familyId = this.random.id('fam');
    const now = this.clock.now();
    // Independent documents, written together: a login waits for one database round trip, not two.
    const [, pair] = await Promise.all([
      this.families.create({
        _id: familyId,
        userId: user._id,
        createdAt: now,
        lastUsedAt: now,
        userAgent: userAgent ? userAgent.slice(0, USER_AGENT_MAX) : null,
        revokedAt: null,
      }),
      this.issue(user, familyId),
    ]);
    return pair;
  }

  private async issue(user: UserDocument, familyId: string): Promise<TokenPair> {
    const refreshToken = this.random.token(32);
    const ttl = this.config.AUTH_ACCESS_TOKEN_TTL_SECONDS;
    const [accessToken] = await Promise.all([
      this.keys.sign({ sub: user._id, roles: user.roles, username: user.username, sid: familyId }, ttl),
      this.tokens.create({
        _id: hashRefreshToken(refreshToken),
        familyId,
        userId: user._id,
        issuedAt: this.clock.now(),
        rotatedAt: null,
      }),
    ]);
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: ttl };
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const id = hashRefreshToken(refreshToken);
    const token = await this.tokens.findById(id).lean<RefreshTokenDocument>().exec();
    if (!token) throw new UnauthorizedException(INVALID_REFRESH);
    const family = await this.families.findById(token.familyId).lean<TokenFamilyDocument>().exec();
    const user = await this.users.findById(token.userId);
    if (!family || !user) throw new UnauthorizedException(INVALID_REFRESH);
    const now = this.clock.now();
    const decision = decideRefresh(token, family, user.sessionsValidAfter, now);
    if (decision === 'reuse') {
      await this.revokeFamily(family._id);
      throw new UnauthorizedException(INVALID_REFRESH);
    }
    if (decision !== 'rotate') throw new UnauthorizedException(INVALID_REFRESH);
    // Only one of two racing uses wins the rotation; the loser is treated as reuse.
    const rotated = await this.tokens.updateOne({ _id: id, rotatedAt: null }, { $set: { rotatedAt: now } }).exec();
    if (rotated.modifiedCount !== 1) {
      await this.revokeFamily(family._id);
      throw new UnauthorizedException(INVALID_REFRESH);
    }
    const [pair] = await Promise.all([
      this.issue(user, family._id),
      this.families.updateOne({ _id: family._id }, { $set: { lastUsedAt: now } }).exec(),
    ]);
    return pair;
  }

  /** The caller's sessions that can still refresh, newest login first. */
  async list(
    userId: string,
    currentSessionId: string | undefined,
    limit: number,
    cursor?: string,
  ): Promise<Page<SessionView>> {
    const after = decodeTimeCursor(cursor);
    const user = await this.users.findById(userId);
    if (!user) return { items: [], nextCursor: null };
    const now = this.clock.now().getTime();
    const idleFloor = new Date(now - REFRESH_IDLE_LIFETIME_MS);
    const createdFloor = new Date(
      Math.max(now - REFRESH_ABSOLUTE_LIFETIME_MS, (user.sessionsValidAfter?.getTime() ?? 0) - 1),
    );
    const rows = await this.families
      .find({
        userId,
        revokedAt: null,
        createdAt: { $gt: createdFloor },
        $and: [
          { $or: [{ lastUsedAt: { $gt: idleFloor } }, { lastUsedAt: null, createdAt: { $gt: idleFloor } }] },
          ...(after ? [afterTimeCursor(after)] : []),
        ],
      })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<TokenFamilyDocument[]>()
      .exec();
    return pageOf(
      rows,
      limit,
      (last) => encodeTimeCursor({ createdAt: last.createdAt, id: last._id }),
      (family) => ({
        id: family._id,
        createdAt: family.createdAt.toISOString(),
        lastUsedAt: (family.lastUsedAt ?? family.createdAt).toISOString(),
        ...(family.userAgent ? { userAgent: family.userAgent } : {}),
        current: family._id === currentSessionId,
      }),
    );
  }

  /** Ends one of the caller's sessions; another user's, or an unknown id, is a 404 (no hint that it exists). */
  async revoke(userId: string, sessionId: string): Promise<void> {
    const family = await this.families.findById(sessionId).lean<TokenFamilyDocument>().exec();
    if (!family || family.userId !== userId) throw new NotFoundException('session not found');
    if (!family.revokedAt) await this.revokeFamily(family._id);
  }

  /** Revokes the session of a refresh token that belongs to the caller; silent otherwise. */
  async logout(userId: string, refreshToken: string): Promise<void> {
    const token = await this.tokens.findById(hashRefreshToken(refreshToken)).lean<RefreshTokenDocument>().exec();
    if (token && token.userId === userId) await this.revokeFamily(token.familyId);
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.families.updateOne({ _id: familyId }, { $set: { revokedAt: this.clock.now() } }).exec();
  }
}
