import type { EventEnvelope } from '@app/contracts';
import { OutboxRelay, outboxUpdates, withOutbox } from '@app/messaging';
import { ConditionalUpdates } from '@app/persistence';
import { afterTimeCursor, type TimeCursor } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, QueryFilter, UpdateQuery } from 'mongoose';
import { SupportCaseRecord, type CaseMessage, type CaseStatus } from './support-case.schema';

/** Support cases, one document per case with its messages and its outbox. */
@Injectable()
export class SupportCasesRepository {
  /** Every update of a case; the outbox relay's removal of published events takes the same lock. */
  private readonly updates: ConditionalUpdates<SupportCaseRecord>;

  constructor(
    @InjectModel(SupportCaseRecord.name) private readonly model: Model<SupportCaseRecord>,
    private readonly relay: OutboxRelay,
  ) {
    this.updates = outboxUpdates(model, relay);
  }

  /** Inserts a new case (`closedAt` defaults to null). */
  async insert(record: Omit<SupportCaseRecord, 'closedAt'>): Promise<void> {
    await this.model.create(record);
  }

  findById(caseId: string): Promise<SupportCaseRecord | null> {
    return this.model.findById(caseId).lean<SupportCaseRecord>().exec();
  }

  /** One page, newest first, of everyone's cases or of one user's (`userId`), after `cursor`: `limit + 1` rows tell whether more follow. */
  page(
    query: { userId?: string; status?: CaseStatus },
    cursor: TimeCursor | undefined,
    limit: number,
  ): Promise<SupportCaseRecord[]> {
    const filter: QueryFilter<SupportCaseRecord> = {
      ...(query.userId !== undefined ? { userId: query.userId } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...afterTimeCursor(cursor),
    };
    return this.model
      .find(filter)
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<SupportCaseRecord[]>()
      .exec();
  }

  /**
   * Appends `message` (written at `at`) with `events` to an open case holding fewer than
   * `maxMessages`; false when the case is closed or full.
   */
  async addMessage(
    caseId: string,
    message: CaseMessage,
    maxMessages: number,
    at: Date,
    events: EventEnvelope[],
  ): Promise<boolean> {
    const before = await this.updateIf(
      caseId,
      { status: 'open', [`messages.${maxMessages - 1}`]: { $exists: false } },
      withOutbox({ $push: { messages: message }, $set: { updatedAt: at } }, events),
    );
    return before !== null;
  }

  /** Closes an open case at `at` (a closed one stays as it is). */
  async close(caseId: string, at: Date): Promise<void> {
    await this.updateIf(caseId, { status: 'open' }, { $set: { status: 'closed', closedAt: at, updatedAt: at } });
  }

  /** Updates the case when it matches `condition`; returns it as it was before, or null when it did not match. */
  private updateIf(
    caseId: string,
    condition: QueryFilter<SupportCaseRecord>,
    update: UpdateQuery<SupportCaseRecord>,
  ): Promise<SupportCaseRecord | null> {
    return this.updates.updateIf(caseId, condition, update);
  }

  /** Publishes the events just written to the case's outbox. */
  flush(caseId: string): Promise<void> {
    return this.relay.flush(this.model, [caseId]);
  }
}
