import { Injectable, Logger } from '@nestjs/common';
import type { MessageRecord } from '../messages/message.schema';
import type { CarriedMessage } from '../queues/job-options';
import type { DeliveryChannel } from '../queues/delivery-queues';
import { MessagesRepository } from '../messages/messages.repository';
import { notificationSentEvent } from '../messages/notification-sent.event';
import { PermanentDeliveryError } from './delivery-errors';
import { DeliveryMetrics } from './delivery-metrics';
import { EmailSender } from './email/email-sender';
import { SentEvents } from '../messages/sent-events';
import { SmsSender } from './sms/sms-sender';
import { Clock } from '@app/platform';

export type DeliveryOutcome = 'sent' | 'skipped';

export interface DeliveryAttempt {
  /** how many times this message's job has been started, this attempt included (BullMQ `attemptsStarted`) */
  number: number;
  /** no retry follows a failure of this attempt */
  lastAttempt: boolean;
  /** an earlier start of this job died (killed, stalled) without finishing: it may have sent */
  afterStall?: boolean;
}

/** What a send needs of a message: its record, or the copy its job carries (`CarriedMessage`). */
type Deliverable = Pick<MessageRecord, Exclude<keyof CarriedMessage, 'sourceOccurredAt'>> & {
  sourceOccurredAt?: Date | string | null;
};

/**
 * Sends one stored message, at least once (see apps/notifications/README.md, "Delivery
 * guarantees"). One store write per message besides the insert: the `sent` write right after the
 * provider accepted and its NotificationSent was published (SentEvents), grouped with the other
 * slots' writes in one command. Before the provider call, a point read of the record keeps a settled
 * message from being sent again; the first start of a job that carries its just-inserted record
 * (`CarriedMessage`) skips it: nothing can have settled a record no attempt has started on. A worker killed in between
 * leaves the record `queued`: the stalled job is retried and sends again with the same Message-ID,
 * so receivers can drop the copy. A failed attempt with retries left writes nothing; the last one
 * writes `failed`.
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger(DeliveryService.name);

  constructor(
    private readonly messages: MessagesRepository,
    private readonly email: EmailSender,
    private readonly sms: SmsSender,
    private readonly clock: Clock,
    private readonly metrics: DeliveryMetrics,
    private readonly sentEvents: SentEvents,
  ) {}

  async deliver(messageId: string, attempt: DeliveryAttempt, carried?: CarriedMessage): Promise<DeliveryOutcome> {
    // Only the first start: a retry or a stalled restart may follow an attempt that got to `sent`.
    const firstStart = attempt.number === 1 && !attempt.afterStall;
    const message: Deliverable | null =
      carried && firstStart && carried._id === messageId ? carried : await this.messages.findDeliverable(messageId);
    if (!message) {
      this.logger.debug(`message ${messageId} is settled or unknown; nothing to send`);
      return 'skipped';
    }
    if (attempt.afterStall) {
      this.logger.warn(
        `message ${messageId}: an earlier attempt died while it may have been sending; sending again with the same Message-ID`,
      );
    }
    let providerMessageId: string | null;
    try {
      providerMessageId = await this.send(message);
    } catch (error) {
      const final = attempt.lastAttempt || error instanceof PermanentDeliveryError;
      // Only the last attempt writes: a retry's `sent` can then never be overwritten by a stale
      // failure record (FerretDB's conditional writes are not atomic across processes).
      if (final) {
        const reason = error instanceof Error ? error.message : String(error);
        await this.messages.markFailed(messageId, message.channel, reason, this.clock.now(), attempt.number);
      }
      throw error;
    }
    // Nothing but the event's publish and this write between the provider's accept and the record
    // saying so. Published first, the event needs no outbox in the record (one write); when Kafka
    // does not acknowledge it in time, it goes into the outbox with the `sent` write, for the relay.
    const sentAt = this.clock.now();
    const sent = notificationSentEvent(message, sentAt);
    const delivery = { providerMessageId, attempts: attempt.number };
    const marked = (await this.sentEvents.publish(sent))
      ? await this.messages.markSentPublished(messageId, message.channel, delivery, sentAt)
      : await this.messages.markSent(messageId, message.channel, delivery, sentAt, [sent]);
    if (!marked) this.logger.warn(`message ${messageId} was settled by another attempt while this one sent it`);
    else this.metrics.sent(message, sentAt);
    return 'sent';
  }

  /** Resolves once the NotificationSent events of the messages sent so far are handed to Kafka. */
  flushed(): Promise<void> {
    return this.messages.flushed();
  }

  /** A job BullMQ gave up on without a failed attempt of ours (it stalled too often). */
  async recordAbandoned(messageId: string, channel: DeliveryChannel, error: unknown): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    await this.messages.markFailed(messageId, channel, reason, this.clock.now());
  }

  private async send(message: Deliverable): Promise<string | null> {
    if (message.channel === 'in_app') return null;
    if (!message.to) throw new PermanentDeliveryError(`message ${message._id} has no address`);
    if (message.channel === 'email') {
      // The id is the message record's: the same on every attempt, so a re-send carries the same Message-ID.
      return this.email.send({
        id: message._id,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
      });
    }
    return this.sms.send({ id: message._id, to: message.to, body: message.text });
  }
}
