import { inSpan, Clock } from '@app/platform';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config';
import { ContactsService } from '../contacts/contacts.service';
import type { NotificationRequest } from '../planning/notification-request';
import { planNotifications, type PlannedMessage } from '../planning/notification-planner';
import { PreferencesService } from '../preferences/preferences.service';
import { OrgRostersService } from '../orgs/org-rosters.service';
import { DeliveryQueues, isDeliveryChannel } from '../queues/delivery-queues';
import { carriedMessage } from '../queues/job-options';
import type { MessageRecord } from './message.schema';
import { MessagesRepository } from './messages.repository';
import { notificationSentEvent } from './notification-sent.event';
import { SentEvents } from './sent-events';

/**
 * Turns a notification request into stored messages and jobs. Each message is recorded (status
 * `queued`) before its job is added, so a crash between the two is repaired by reconciliation,
 * and a replay finds the record and never enqueues a message that was already sent.
 */
@Injectable()
export class NotificationDispatcher {
  private readonly logger = new Logger(NotificationDispatcher.name);

  constructor(
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    private readonly contacts: ContactsService,
    private readonly preferences: PreferencesService,
    private readonly messages: MessagesRepository,
    private readonly queues: DeliveryQueues,
    private readonly clock: Clock,
    private readonly rosters: OrgRostersService,
    private readonly sentEvents: SentEvents,
  ) {}

  /** Plans and stores the messages of a request, in a span of its own (the jobs it adds hang under it). */
  notify(request: NotificationRequest): Promise<PlannedMessage[]> {
    return inSpan('plan notifications', { attributes: { 'portal.audience.size': request.audience.length } }, () =>
      this.planAndStore(request),
    );
  }

  private async planAndStore(asked: NotificationRequest): Promise<PlannedMessage[]> {
    // What an organisation owns is addressed to `org:<id>`: its members are told, as its setting says.
    const request = { ...asked, audience: await this.rosters.expand(asked.audience, asked.actedBy) };
    const userIds = [...new Set(request.audience.map((a) => a.userId))];
    const [contacts, preferences] = await Promise.all([
      this.contacts.findMany(userIds),
      this.preferences.findMany(userIds),
    ]);
    const now = this.clock.now();
    const planned = planNotifications(request, {
      contacts,
      preferences,
      now,
      publicUrl: this.config.PORTAL_PUBLIC_URL,
      quietHours: { startHour: this.config.QUIET_HOURS_START, endHour: this.config.QUIET_HOURS_END },
    });
    // Each message is its own record and job: one's store write need not wait for another's.
    await Promise.all(planned.map((message) => this.store(message, now)));
    return planned;
  }

  private async store(message: PlannedMessage, now: Date): Promise<void> {
    const inApp = !isDeliveryChannel(message.channel);
    const record = toRecord(message, now, inApp);
    const existing = await this.messages.insertIfAbsent(record);
    if (!isDeliveryChannel(message.channel)) {
      await this.reportDelivered(existing ?? record);
      return;
    }
    if (existing && (existing.status === 'sent' || existing.status === 'failed')) {
      this.logger.debug(`message ${message.id} already ${existing.status}; not enqueued again`);
      return;
    }
    // Inserted `queued`, so nothing here writes the record again: from the insert on, the worker
    // is its only writer (a status write here could land late, over the worker's `sent`). A record
    // inserted just now is unsettled: its job carries what to send, and its first start reads nothing.
    await this.queues.enqueue(
      message.channel,
      message.id,
      message.notBefore ?? null,
      now,
      existing ? undefined : carriedMessage(record),
    );
  }

  /**
   * An inbox item is delivered by being written: its NotificationSent goes to Kafka right after the
   * insert, with no outbox (so no relay removal and no write claims after it), and into the record's
   * outbox only when Kafka does not acknowledge it. A replay of the source event finds the item
   * stored and publishes it again, with the same id (consumers skip it): that covers a crash between
   * the insert and the publish, since the source event's offset is committed only after this resolves.
   */
  private async reportDelivered(record: MessageRecord): Promise<void> {
    const sent = notificationSentEvent(record, record.sentAt ?? record.createdAt);
    if (await this.sentEvents.publish(sent)) return;
    if (!(await this.messages.keepInOutbox(record._id, [sent]))) {
      this.logger.warn(`inbox item ${record._id} is gone; its NotificationSent is not kept`);
    }
  }
}

function toRecord(message: PlannedMessage, now: Date, inApp: boolean): MessageRecord {
  const { content } = message;
  return {
    _id: message.id,
    userId: message.userId,
    kind: message.kind,
    channel: message.channel,
    to: message.to,
    subject: inApp ? content.inApp.title : content.subject,
    text: message.channel === 'sms' ? content.sms : inApp ? content.inApp.body : content.text,
    html: message.channel === 'email' ? content.html : null,
    link: inApp ? (content.inApp.link ?? null) : null,
    sourceId: message.sourceId,
    sourceType: message.sourceType,
    correlationId: message.correlationId ?? null,
    sourceOccurredAt: message.sourceOccurredAt ?? null,
    // The inbox item is delivered by being written; the others' jobs are added right after this insert.
    status: inApp ? 'sent' : 'queued',
    attempts: 0,
    notBefore: message.notBefore ?? null,
    providerMessageId: null,
    lastError: null,
    readAt: null,
    createdAt: now,
    updatedAt: now,
    sentAt: inApp ? now : null,
  };
}
