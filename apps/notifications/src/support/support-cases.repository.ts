import { OutboxRelay, outboxUpdates } from '@app/messaging';
import { ConditionalUpdates } from '@app/persistence';
import { afterTimeCursor, type TimeCursor } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, QueryFilter, UpdateQuery } from 'mongoose';
import { SupportCaseRecord, type CaseStatus } from './support-case.schema';

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

  /** Updates the case when it matches `condition`; returns it as it was before, or null when it did not match. */
  updateIf(
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
