import { type AuthUser } from '@app/auth';
import {
  checkTrackingNumber,
  NotificationKinds,
  Role,
  SupportCaseRepliedV1,
  type EventEnvelope,
  type SupportCaseRepliedData,
} from '@app/contracts';
import { eventEnvelope } from '@app/messaging';
import { decodeTimeCursor, encodeTimeCursor, Clock, IdGenerator } from '@app/platform';
import { BadRequestException, ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { SERVICE_NAME } from '../config';
import { NotificationDispatcher } from '../messages/notification-dispatcher.service';
import { supportReplyTemplate } from '../templates/support-reply.template';
import type { CaseStatus, SupportCaseRecord, CaseMessage } from './support-case.schema';
import { SupportCasesRepository } from './support-cases.repository';

export interface CaseView {
  caseId: string;
  userId: string;
  subject: string;
  trackingNumber?: string;
  status: CaseStatus;
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
  messages: { id: string; authorRole: string; body: string; createdAt: string }[];
}

function isOperator(user: AuthUser): boolean {
  return user.roles.includes(Role.Operator);
}

function view(record: SupportCaseRecord): CaseView {
  return {
    caseId: record._id,
    userId: record.userId,
    subject: record.subject,
    ...(record.trackingNumber ? { trackingNumber: record.trackingNumber } : {}),
    status: record.status,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    ...(record.closedAt ? { closedAt: record.closedAt.toISOString() } : {}),
    messages: record.messages.map((m) => ({
      id: m.id,
      authorRole: m.authorRole,
      body: m.body,
      createdAt: m.createdAt.toISOString(),
    })),
  };
}

/** A case holds at most this many messages (its document stays small); then a new case is needed. */
export const MAX_CASE_MESSAGES = 200;

function tooLong(): ConflictException {
  return new ConflictException(`a case holds at most ${MAX_CASE_MESSAGES} messages; open a new case`);
}

@Injectable()
export class SupportService {
  private readonly logger = new Logger(SupportService.name);

  constructor(
    private readonly cases: SupportCasesRepository,
    private readonly dispatcher: NotificationDispatcher,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async open(user: AuthUser, input: { subject: string; body: string; trackingNumber?: string }) {
    let trackingNumber: string | null = null;
    if (input.trackingNumber !== undefined) {
      const check = checkTrackingNumber(input.trackingNumber);
      if (!check.valid) throw new BadRequestException(`trackingNumber: ${check.reason}`);
      trackingNumber = check.trackingNumber;
    }
    const now = this.clock.now();
    const caseId = this.ids.uuid();
    await this.cases.insert({
      _id: caseId,
      userId: user.userId,
      subject: input.subject,
      trackingNumber,
      status: 'open',
      messages: [
        { id: this.ids.uuid(), authorId: user.userId, authorRole: 'customer', body: input.body, createdAt: now },
      ],
      createdAt: now,
      updatedAt: now,
    });
    return { caseId, status: 'open' as const };
  }

  async list(user: AuthUser, query: { limit?: number; cursor?: string; status?: CaseStatus }) {
    const limit = query.limit ?? 20;
    const rows = await this.cases.page(
      { ...(isOperator(user) ? {} : { userId: user.userId }), ...(query.status ? { status: query.status } : {}) },
      decodeTimeCursor(query.cursor),
      limit,
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => view(r)),
      nextCursor: rows.length > limit && last ? encodeTimeCursor({ createdAt: last.createdAt, id: last._id }) : null,
    };
  }

  async get(user: AuthUser, caseId: string): Promise<CaseView> {
    return view(await this.visibleCase(user, caseId));
  }

  async addMessage(user: AuthUser, caseId: string, body: string) {
    const record = await this.visibleCase(user, caseId);
    if (record.status === 'closed') throw new ConflictException('the case is closed');
    const now = this.clock.now();
    const message: CaseMessage = {
      id: this.ids.uuid(),
      authorId: user.userId,
      authorRole: isOperator(user) && user.userId !== record.userId ? 'operator' : 'customer',
      body,
      createdAt: now,
    };
    // An operator's reply and its SupportCaseReplied are one write; the customer is notified when
    // the event comes back (handleReplied), so a crash right after this write loses no notification.
    const events = message.authorRole === 'operator' ? [this.repliedEvent(record, message)] : [];
    if (record.messages.length >= MAX_CASE_MESSAGES) throw tooLong();
    const written = await this.cases.addMessage(caseId, message, MAX_CASE_MESSAGES, now, events);
    if (!written) {
      const current = await this.visibleCase(user, caseId);
      throw current.status === 'closed' ? new ConflictException('the case is closed') : tooLong();
    }
    if (events.length > 0) await this.cases.flush(caseId);
    return { caseId, messageId: message.id, createdAt: now.toISOString() };
  }

  async close(user: AuthUser, caseId: string) {
    const record = await this.visibleCase(user, caseId);
    if (record.status === 'open') {
      await this.cases.close(caseId, this.clock.now());
    }
    return { caseId, status: 'closed' as const };
  }

  /** Another customer's case is reported as missing, so ids cannot be probed. */
  private async visibleCase(user: AuthUser, caseId: string): Promise<SupportCaseRecord> {
    const record = await this.cases.findById(caseId);
    if (!record || (!isOperator(user) && record.userId !== user.userId)) {
      throw new NotFoundException('no such support case');
    }
    return record;
  }

  /** Tells the customer about an operator's reply (the SupportCaseReplied event; idempotent by event id). */
  async handleReplied(envelope: EventEnvelope<SupportCaseRepliedData>): Promise<void> {
    const record = await this.cases.findById(envelope.data.caseId);
    const message = record?.messages.find((m) => m.id === envelope.id);
    if (!record || !message) {
      this.logger.warn(`SupportCaseReplied ${envelope.id}: no reply ${envelope.id} in case ${envelope.data.caseId}`);
      return;
    }
    await this.dispatcher.notify({
      sourceId: message.id,
      sourceType: SupportCaseRepliedV1.type,
      correlationId: envelope.correlationId,
      kind: NotificationKinds.SupportReplies,
      audience: [{ userId: record.userId }],
      render: (ctx) => supportReplyTemplate({ caseId: record._id, subject: record.subject, body: message.body }, ctx),
    });
  }

  /** The event's id is the reply's id, which is how handleReplied finds the reply. */
  private repliedEvent(record: SupportCaseRecord, message: CaseMessage): EventEnvelope<SupportCaseRepliedData> {
    return eventEnvelope(
      { source: SERVICE_NAME, uuid: () => this.ids.uuid(), now: () => this.clock.now() },
      SupportCaseRepliedV1,
      record.userId,
      { caseId: record._id, userId: record.userId, operatorId: message.authorId },
      { id: message.id, occurredAt: message.createdAt },
    );
  }
}
