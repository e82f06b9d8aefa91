import type { EventEnvelope } from '@app/contracts';
import { ORG_AUDIT_RETENTION_DAYS } from '@app/contracts';
import { afterTimeCursor, type TimeCursor, Clock } from '@app/platform';
import { OutboxRelay, toOutboxEntries } from '@app/messaging';
import { isFerretDb, KeyedLock, type LockHold, StoreBusyError, WriteClaims } from '@app/persistence';
import {
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RandomSource } from '../common/random';
import type { AuditActor, AuditRecord } from './org-audit';
import {
  ORG_AUDIT_MODEL,
  ORG_MEMBERSHIP_MODEL,
  ORG_MODEL,
  type OrgAuditDocument,
  type OrgDocument,
  type OrgInvite,
  type OrgMember,
  type OrgMembershipDocument,
} from './org.schema';
import type { AddressEntry } from '../users/user.schema';

const DUPLICATE_KEY = 11000;
const DAY_MS = 24 * 60 * 60 * 1000;
export const AUDIT_RETENTION_MS = ORG_AUDIT_RETENTION_DAYS * DAY_MS;
/** A claim not renewed for this long was left by a crashed process and may be taken over. */
const LOCK_TTL_MS = 10_000;
/** How long a change waits for another change of the same organisation. */
const LOCK_WAIT_MS = 5_000;
const AUDIT_SWEEP_MS = 60 * 60 * 1000;

/** What a change does to the organisation it was given, and what it answers. */
export interface OrgChange<T> {
  members: OrgMember[];
  invites: OrgInvite[];
  /** the new address book, when the change is to it */
  addresses?: AddressEntry[];
  events: EventEnvelope[];
  /** at least one line: a change that records nothing is refused (the audit cannot be forgotten) */
  audit: AuditRecord[];
  joined?: string[];
  left?: string[];
  /** nothing changed: nothing is written or recorded */
  unchanged?: boolean;
  /** removes the organisation's document after recording the change */
  deleted?: boolean;
  result: T;
}

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === DUPLICATE_KEY;
}

export function membershipId(userId: string, orgId: string): string {
  return `${userId}|${orgId}`;
}

/**
 * Organisations, the per-user index of memberships, and the audit log. The only way to change an
 * organisation is {@link change}: it holds the organisation's lock (this process's, and across
 * processes a lock document), reads the document, applies the change, writes it with its events and
 * writes the change's audit lines, so no code path can change an organisation without an audit line.
 */
@Injectable()
export class OrgsRepository implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(OrgsRepository.name);
  /**
   * Every write of an organisation document, in this process and across processes (a claim in the
   * store's `write_claims`, on every store: a change is a read, a check of the rules and a write,
   * which MongoDB does not make atomic either); the relay's removal of published events takes it too.
   */
  readonly claims: WriteClaims;
  private sweepTimer?: NodeJS.Timeout;

  constructor(
    @InjectModel(ORG_MODEL) private readonly orgs: Model<OrgDocument>,
    @InjectModel(ORG_MEMBERSHIP_MODEL) private readonly memberships: Model<OrgMembershipDocument>,
    @InjectModel(ORG_AUDIT_MODEL) private readonly audit: Model<OrgAuditDocument>,
    private readonly relay: OutboxRelay,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {
    this.claims = WriteClaims.of(orgs, new KeyedLock(), {
      ttlMs: LOCK_TTL_MS,
      waitMs: LOCK_WAIT_MS,
      onEveryStore: true,
    });
  }

  /** Runs `fn` holding the organisation's claim; 409 when another change holds it past LOCK_WAIT_MS. */
  private async holdingClaim<T>(orgId: string, fn: (hold: LockHold) => Promise<T>): Promise<T> {
    try {
      return await this.claims.runExclusive([orgId], fn);
    } catch (error) {
      if (error instanceof StoreBusyError) throw new ConflictException('the organisation is being changed; try again');
      throw error;
    }
  }

  async onModuleInit(): Promise<void> {
    // The relay's removal of published events is a write of the organisation too: it holds the
    // same locks as a change (in this process, then the store's lock document), so a change made
    // by another auth process is never overwritten by this process's relay, nor the reverse.
    this.relay.watch(this.orgs, { lock: this.claims });
    // 400 days of audit: MongoDB removes old lines by a TTL index; FerretDB has none, so a sweep
    // does it (and reads skip older lines either way). The server decides, not MONGO_QUERY_PLAN:
    // FerretDB refuses a TTL index whatever plan the helpers take.
    if (await isFerretDb(this.audit.db)) {
      this.sweepTimer = setInterval(() => void this.sweepAudit(), AUDIT_SWEEP_MS);
      this.sweepTimer.unref();
      return;
    }
    await this.audit.collection.createIndex(
      { createdAt: 1 },
      { expireAfterSeconds: AUDIT_RETENTION_MS / 1000, name: 'audit_retention' },
    );
    await this.audit.collection.createIndex({ orgId: 1, createdAt: -1, _id: -1 }, { name: 'audit_by_org' });
    await this.memberships.collection.createIndex({ userId: 1 }, { name: 'memberships_by_user' });
  }

  onModuleDestroy(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
  }

  async findById(orgId: string): Promise<OrgDocument | null> {
    return this.orgs.collection.findOne<OrgDocument>({ _id: orgId } as Record<string, unknown>);
  }

  /** The member's role, read from the organisation itself; null for a non-member or an unknown organisation. */
  async roleOf(orgId: string, userId: string): Promise<OrgMember | null> {
    const org = await this.findById(orgId);
    return org?.members.find((m) => m.userId === userId) ?? null;
  }

  /** The organisations the user belongs to (checked against each organisation), oldest membership first. */
  async orgsOf(userId: string): Promise<{ org: OrgDocument; member: OrgMember }[]> {
    const entries = await this.memberships
      .find({ userId })
      .sort({ createdAt: 1 })
      .limit(1000)
      .lean<OrgMembershipDocument[]>()
      .exec();
    const found = await Promise.all(entries.map((e) => this.findById(e.orgId)));
    return found.flatMap((org) => {
      const member = org?.members.find((m) => m.userId === userId);
      return org && member ? [{ org, member }] : [];
    });
  }

  /** Stores a new organisation with its first member, and records it. */
  async create(org: OrgDocument, actor: AuditActor, record: AuditRecord): Promise<void> {
    await this.orgs.create({ ...org, outbox: toOutboxEntries(org.outbox) });
    await this.writeMemberships(
      org._id,
      org.members.map((m) => m.userId),
      [],
    );
    await this.writeAudit(org._id, actor, [record]);
    if (org.outbox.length > 0) await this.relay.flush(this.orgs, [org._id]);
  }

  /**
   * Applies `mutate` to the organisation's current document and stores the result, one change at a
   * time per organisation across every process: rules checked in `mutate` (at least one owner)
   * hold however many requests race. Throws 404 for an unknown organisation.
   */
  async change<T>(orgId: string, actor: AuditActor, mutate: (org: OrgDocument) => OrgChange<T>): Promise<T> {
    const { result, flush } = await this.holdingClaim(orgId, async (hold) => {
      const org = await this.findById(orgId);
      if (!org) throw new NotFoundException('organisation not found');
      const change = mutate(structuredClone(org));
      if (change.unchanged) return { result: change.result, flush: false };
      if (change.audit.length === 0) throw new Error('an organisation change must record at least one audit line');
      const now = this.clock.now();
      hold.assertHeld();
      if (change.deleted) {
        await this.orgs.deleteOne({ _id: orgId }).exec();
      } else {
        const update: Record<string, unknown> = {
          $set: {
            members: change.members,
            invites: change.invites,
            ...(change.addresses ? { addresses: change.addresses } : {}),
            updatedAt: now,
            version: org.version + 1,
          },
        };
        if (change.events.length > 0) update.$push = { outbox: { $each: toOutboxEntries(change.events) } };
        await this.orgs.updateOne({ _id: orgId }, update).exec();
      }
      await this.writeMemberships(orgId, change.joined ?? [], change.left ?? []);
      await this.writeAudit(orgId, actor, change.audit);
      return { result: change.result, flush: change.events.length > 0 && !change.deleted };
    });
    // after the lock: the relay takes the same lock to remove what it published
    if (flush) await this.relay.flush(this.orgs, [orgId]);
    return result;
  }

  /**
   * Records a change made elsewhere for the organisation (another service's, reported through
   * `POST /internal/org-audit`): an audit line and nothing else.
   */
  async record(orgId: string, actor: AuditActor, line: { action: string; target?: string }): Promise<void> {
    await this.writeAudit(orgId, actor, [line as AuditRecord]);
  }

  /** The organisation's audit lines of the last 400 days, newest first. */
  async auditPage(orgId: string, limit: number, after?: TimeCursor): Promise<OrgAuditDocument[]> {
    const floor = new Date(this.clock.now().getTime() - AUDIT_RETENTION_MS);
    return this.audit
      .find({ orgId, createdAt: { $gte: floor }, ...afterTimeCursor(after) })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<OrgAuditDocument[]>()
      .exec();
  }

  /** Removes audit lines past retention (FerretDB; MongoDB's TTL index does it there). */
  async sweepAudit(): Promise<number> {
    const floor = new Date(this.clock.now().getTime() - AUDIT_RETENTION_MS);
    try {
      return (await this.audit.deleteMany({ createdAt: { $lt: floor } }).exec()).deletedCount;
    } catch (error) {
      this.logger.warn(`audit retention sweep failed: ${String(error)}`);
      return 0;
    }
  }

  private async writeMemberships(orgId: string, joined: string[], left: string[]): Promise<void> {
    const createdAt = this.clock.now();
    for (const userId of joined) {
      try {
        await this.memberships.create({ _id: membershipId(userId, orgId), userId, orgId, createdAt });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    if (left.length > 0) {
      await this.memberships.deleteMany({ _id: { $in: left.map((userId) => membershipId(userId, orgId)) } }).exec();
    }
  }

  private async writeAudit(orgId: string, actor: AuditActor, records: AuditRecord[]): Promise<void> {
    const createdAt = this.clock.now();
    await this.audit.insertMany(
      records.map((record) => ({
        _id: this.random.id('aud'),
        orgId,
        createdAt,
        actorId: actor.userId,
        actorUsername: actor.username,
        action: record.action,
        target: record.target ?? null,
        details: record.details ?? null,
        ip: actor.ip,
        userAgent: actor.userAgent,
      })),
    );
  }
}
