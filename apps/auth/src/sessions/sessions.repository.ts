import { ConditionalUpdates, insertUnlessTaken, WriteClaims } from '@app/persistence';
import { afterTimeCursor, type TimeCursor } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, UpdateQuery } from 'mongoose';
import {
  REFRESH_TOKEN_MODEL,
  TOKEN_FAMILY_MODEL,
  type RefreshTokenDocument,
  type TokenFamilyDocument,
} from './session.schema';

/**
 * Login sessions (token families, each holding its current refresh token's hash) and the refresh
 * tokens rotated out of them, whose `_id` is the token's hash.
 */
@Injectable()
export class SessionsRepository {
  /**
   * Every update of a session or a token (rotation, revocation), one at a time per document across
   * auth replicas: a logout in one replica while another rotates the session's token would otherwise
   * be lost on FerretDB, which applies the `$set` of either as a read and a rewrite of the whole
   * document, and two replicas could both mark one old-format token rotated (claims are taken on
   * FerretDB's plan only; MongoDB's conditional updates are atomic).
   */
  private readonly familyUpdates: ConditionalUpdates<TokenFamilyDocument>;
  private readonly tokenUpdates: ConditionalUpdates<RefreshTokenDocument>;

  constructor(
    @InjectModel(REFRESH_TOKEN_MODEL) private readonly tokens: Model<RefreshTokenDocument>,
    @InjectModel(TOKEN_FAMILY_MODEL) private readonly families: Model<TokenFamilyDocument>,
  ) {
    this.familyUpdates = new ConditionalUpdates(families, WriteClaims.of(families));
    this.tokenUpdates = new ConditionalUpdates(tokens, WriteClaims.of(tokens));
  }

  /**
   * A new session: one store write through the driver's insert (mongoose's document machinery costs a
   * login more CPU than the write itself).
   */
  async insertSession(session: TokenFamilyDocument): Promise<void> {
    await this.families.collection.insertOne(session as never);
  }

  findSession(id: string): Promise<TokenFamilyDocument | null> {
    return this.families.findById(id).lean<TokenFamilyDocument>().exec();
  }

  /** Makes the session act for organisation `orgId` (null: personal) while it is not revoked; the session before, or null. */
  actFor(id: string, orgId: string | null): Promise<TokenFamilyDocument | null> {
    return this.updateLiveSession(id, { $set: { orgId } });
  }

  /**
   * Makes `tokenHash` the session's current refresh token, issued and used at `at`, while it is not
   * revoked; `leaveOrg` forgets the organisation it acted for. The session before, or null.
   */
  rotateToken(id: string, tokenHash: string, at: Date, leaveOrg: boolean): Promise<TokenFamilyDocument | null> {
    return this.updateLiveSession(id, {
      $set: { tokenHash, tokenIssuedAt: at, lastUsedAt: at, ...(leaveOrg ? { orgId: null } : {}) },
    });
  }

  private updateLiveSession(id: string, update: UpdateQuery<TokenFamilyDocument>): Promise<TokenFamilyDocument | null> {
    return this.familyUpdates.updateIf(id, { revokedAt: null }, update);
  }

  async revokeSession(id: string, at: Date): Promise<void> {
    await this.familyUpdates.updateIf(id, {}, { $set: { revokedAt: at } });
  }

  /**
   * A user's sessions not revoked, created after `createdAfter` and used (or created) after
   * `usedAfter`, newest first, `limit + 1` from `after` (the extra row says whether a page follows).
   */
  liveSessions(
    userId: string,
    floors: { createdAfter: Date; usedAfter: Date },
    limit: number,
    after: TimeCursor | null,
  ): Promise<TokenFamilyDocument[]> {
    const { createdAfter, usedAfter } = floors;
    return this.families
      .find({
        userId,
        revokedAt: null,
        createdAt: { $gt: createdAfter },
        $and: [
          { $or: [{ lastUsedAt: { $gt: usedAfter } }, { lastUsedAt: null, createdAt: { $gt: usedAfter } }] },
          ...(after ? [afterTimeCursor(after)] : []),
        ],
      })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<TokenFamilyDocument[]>()
      .exec();
  }

  findToken(hash: string): Promise<RefreshTokenDocument | null> {
    return this.tokens.findById(hash).lean<RefreshTokenDocument>().exec();
  }

  /**
   * Records a token as rotated. Its `_id` is the token's hash, and an insert of a unique `_id` is
   * atomic on every store (FerretDB's conditional updates are not): true for one use only.
   */
  claimRotation(token: RefreshTokenDocument): Promise<boolean> {
    return insertUnlessTaken(() => this.tokens.create(token));
  }

  /** Marks an old-format token rotated unless it already was; true for the use that did. */
  async markTokenRotated(hash: string, at: Date): Promise<boolean> {
    return (await this.tokenUpdates.updateIf(hash, { rotatedAt: null }, { $set: { rotatedAt: at } })) !== null;
  }
}
