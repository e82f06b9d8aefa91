import type { AuthUser } from '@app/auth';
import type { OrgRole } from '@app/contracts';
import { ForbiddenException, Inject, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { decodeTimeCursor, encodeTimeCursor, pageOf, type Page, Clock } from '@app/platform';
import { RandomSource } from '../common/random';
import { AUTH_CONFIG, type AuthConfig } from '../config';
import { KeysService } from '../keys/keys.service';
import { LockoutService } from '../lockout/lockout.service';
import { lockoutKey, PasswordGuard } from '../lockout/password-guard';

export { LockedOutException, lockoutKey } from '../lockout/password-guard';
import { MfaService } from '../mfa/mfa.service';
import { OrgsRepository } from '../orgs/orgs.repository';
import { PasswordHasher } from '../passwords/password-hasher';
import { IdentityEventFactory } from '../users/identity-event-factory';
import { LoginMetrics } from './login-metrics';
import type { UserDocument } from '../users/user.schema';
import { UsersRepository } from '../users/users.repository';
import {
  decideRefresh,
  REFRESH_ABSOLUTE_LIFETIME_MS,
  REFRESH_IDLE_LIFETIME_MS,
  type RefreshTokenState,
} from './refresh-policy';
import { familyIdOfRefreshToken, hashRefreshToken, makeRefreshToken } from './refresh-token';
import type { TokenFamilyDocument } from './session.schema';
import { SessionsRepository } from './sessions.repository';

export const INVALID_LOGIN = 'invalid username or password';
export const INVALID_REFRESH = 'invalid or expired refresh token';
export const NOT_A_MEMBER = 'you are not a member of that organisation';

/** The organisation a token acts for, as `POST /auth/switch` answers it. */
export interface ActingOrgView {
  id: string;
  name: string;
  role: OrgRole;
}

/** What `POST /auth/switch` answers: a new access token for the session, acting for `org` (null: personal). */
export interface SwitchAnswer {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  org: ActingOrgView | null;
}

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
    private readonly sessions: SessionsRepository,
    private readonly loginMetrics: LoginMetrics,
    private readonly orgs: OrgsRepository,
  ) {}

  login(login: string, password: string, otp?: string, userAgent?: string): Promise<TokenPair> {
    return this.loginMetrics.time(() => this.checkAndStartSession(login, password, otp, userAgent));
  }

  private async checkAndStartSession(
    login: string,
    password: string,
    otp?: string,
    userAgent?: string,
  ): Promise<TokenPair> {
    // The lockout state is read beside the user, under the key the user will most likely have (this
    // process's hint, else the login name, as for an unknown user): one round trip's wait, for a known
    // and an unknown name alike. A wrong guess costs a second read.
    const hinted = this.users.hintedUserId(login);
    const guessedKey = lockoutKey(hinted ? { _id: hinted } : null, login);
    const [user, guessed] = await Promise.all([this.users.findForLogin(login), this.lockout.state(guessedKey)]);
    const key = lockoutKey(user, login);
    const counted = this.guard.refuseWhileLocked(key === guessedKey ? guessed : await this.lockout.state(key));

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
    if (counted) await this.lockout.reset(key);
    return this.startSession(user, userAgent);
  }

  async startSession(user: UserDocument, userAgent?: string): Promise<TokenPair> {
    const familyId = this.random.id('fam');
    const now = this.clock.now();
    const refreshToken = makeRefreshToken(familyId, this.random.token(32));
    const session: TokenFamilyDocument = {
      _id: familyId,
      userId: user._id,
      createdAt: now,
      tokenHash: hashRefreshToken(refreshToken),
      tokenIssuedAt: now,
      lastUsedAt: now,
      userAgent: userAgent ? userAgent.slice(0, USER_AGENT_MAX) : null,
      revokedAt: null,
    };
    // The session holds its current refresh token: a login is one store write, made while the access
    // token is signed.
    const [accessToken] = await Promise.all([
      this.signAccessToken(user, familyId),
      this.sessions.insertSession(session),
    ]);
    return this.pair(accessToken, refreshToken);
  }

  private signAccessToken(user: UserDocument, familyId: string, org?: { id: string; role: OrgRole }): Promise<string> {
    return this.keys.sign(
      {
        sub: user._id,
        roles: user.roles,
        username: user.username,
        sid: familyId,
        ...(org ? { org } : {}),
      },
      this.config.AUTH_ACCESS_TOKEN_TTL_SECONDS,
    );
  }

  /**
   * Makes the caller's session act for an organisation they belong to (`orgId`), or for their
   * personal account (null), and answers a new access token saying so. The session remembers the
   * choice, so each refresh keeps it, after checking the membership again.
   */
  async switchOrg(caller: AuthUser, orgId: string | null): Promise<SwitchAnswer> {
    if (!caller.sessionId) throw new ForbiddenException('only a login session can switch (not an API key)');
    const [user, family] = await Promise.all([
      this.users.findById(caller.userId),
      this.sessions.findSession(caller.sessionId),
    ]);
    if (!user || !family || family.userId !== user._id || family.revokedAt) {
      throw new UnauthorizedException(INVALID_REFRESH);
    }
    let org: ActingOrgView | null = null;
    if (orgId) {
      const found = await this.orgs.findById(orgId);
      const member = found?.members.find((m) => m.userId === user._id);
      // the same answer for an unknown organisation and another's: nothing tells one from the other
      if (!found || !member) throw new ForbiddenException(NOT_A_MEMBER);
      org = { id: found._id, name: found.name, role: member.role };
    }
    const [accessToken, stored] = await Promise.all([
      this.signAccessToken(user, family._id, org ?? undefined),
      this.sessions.actFor(family._id, org?.id ?? null),
    ]);
    if (!stored) throw new UnauthorizedException(INVALID_REFRESH);
    return { accessToken, tokenType: 'Bearer', expiresIn: this.config.AUTH_ACCESS_TOKEN_TTL_SECONDS, org };
  }

  private pair(accessToken: string, refreshToken: string): TokenPair {
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: this.config.AUTH_ACCESS_TOKEN_TTL_SECONDS };
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const id = hashRefreshToken(refreshToken);
    const familyId = familyIdOfRefreshToken(refreshToken);
    if (!familyId) return this.refreshOpaque(id);
    const family = await this.sessions.findSession(familyId);
    if (!family) throw new UnauthorizedException(INVALID_REFRESH);
    if (family.tokenHash !== id) {
      // Not the session's current token: one rotated before means it leaked (or a client raced), and
      // the whole session ends; a token never issued changes nothing.
      const rotated = await this.sessions.findToken(id);
      if (rotated?.familyId === family._id) await this.revokeFamily(family._id);
      throw new UnauthorizedException(INVALID_REFRESH);
    }
    return this.rotate(
      family,
      { familyId, userId: family.userId, issuedAt: family.tokenIssuedAt ?? family.createdAt },
      () => this.claimRotation(id, family, family.tokenIssuedAt ?? family.createdAt),
    );
  }

  /** A token of the older, opaque format: its own document says which session it belongs to. */
  private async refreshOpaque(id: string): Promise<TokenPair> {
    const token = await this.sessions.findToken(id);
    if (!token) throw new UnauthorizedException(INVALID_REFRESH);
    const family = await this.sessions.findSession(token.familyId);
    if (!family) throw new UnauthorizedException(INVALID_REFRESH);
    return this.rotate(family, token, () => this.sessions.markTokenRotated(id, this.clock.now()));
  }

  /**
   * Exchanges the session's current token for a new one. `claim` marks the presented token rotated
   * and is true only for one of two racing uses; the loser is treated as reuse.
   */
  private async rotate(
    family: TokenFamilyDocument,
    token: RefreshTokenState,
    claim: () => Promise<boolean>,
  ): Promise<TokenPair> {
    const user = await this.users.findById(family.userId);
    if (!user) throw new UnauthorizedException(INVALID_REFRESH);
    const now = this.clock.now();
    const decision = decideRefresh(token, family, user.sessionsValidAfter, now);
    if (decision === 'reuse') {
      await this.revokeFamily(family._id);
      throw new UnauthorizedException(INVALID_REFRESH);
    }
    if (decision !== 'rotate') throw new UnauthorizedException(INVALID_REFRESH);
    if (!(await claim())) {
      await this.revokeFamily(family._id);
      throw new UnauthorizedException(INVALID_REFRESH);
    }
    const refreshToken = makeRefreshToken(family._id, this.random.token(32));
    // A session acting for an organisation keeps it only while the user is still a member: a member
    // removed since the last refresh gets a personal token (and the session forgets the organisation).
    const member = family.orgId ? await this.orgs.roleOf(family.orgId, user._id) : null;
    const org = family.orgId && member ? { id: family.orgId, role: member.role } : undefined;
    const [accessToken, stored] = await Promise.all([
      this.signAccessToken(user, family._id, org),
      this.sessions.rotateToken(family._id, hashRefreshToken(refreshToken), now, Boolean(family.orgId && !org)),
    ]);
    // revoked meanwhile (logout, or a reuse seen by another request)
    if (!stored) throw new UnauthorizedException(INVALID_REFRESH);
    return this.pair(accessToken, refreshToken);
  }

  /** Records the presented token as rotated: true for one of two racing uses only. */
  private claimRotation(id: string, family: TokenFamilyDocument, issuedAt: Date): Promise<boolean> {
    return this.sessions.claimRotation({
      _id: id,
      familyId: family._id,
      userId: family.userId,
      issuedAt,
      rotatedAt: this.clock.now(),
    });
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
    const rows = await this.sessions.liveSessions(
      userId,
      { createdAfter: createdFloor, usedAfter: idleFloor },
      limit,
      after ?? null,
    );
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
    const family = await this.sessions.findSession(sessionId);
    if (!family || family.userId !== userId) throw new NotFoundException('session not found');
    if (!family.revokedAt) await this.revokeFamily(family._id);
  }

  /** Revokes the session of a refresh token (current or rotated) that belongs to the caller; silent otherwise. */
  async logout(userId: string, refreshToken: string): Promise<void> {
    const id = hashRefreshToken(refreshToken);
    const familyId = familyIdOfRefreshToken(refreshToken);
    if (familyId) {
      const family = await this.sessions.findSession(familyId);
      if (family?.userId !== userId) return;
      if (family.tokenHash === id) return this.revokeFamily(familyId);
    }
    const token = await this.sessions.findToken(id);
    if (token && token.userId === userId && (!familyId || token.familyId === familyId)) {
      await this.revokeFamily(token.familyId);
    }
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.sessions.revokeSession(familyId, this.clock.now());
  }
}
