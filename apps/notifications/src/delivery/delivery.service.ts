import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import type { MessageRecord } from '../messages/message.schema';
import { MessagesRepository } from '../messages/messages.repository';
import { notificationSentEvent } from '../messages/notification-sent.event';
import { PermanentDeliveryError } from './delivery-errors';
import { EmailSender } from './email/email-sender';
import { SmsSender } from './sms/sms-sender';

export type DeliveryOutcome = 'sent' | 'skipped';

export interface DeliveryAttempt {
  /** no retry follows a failure of this attempt */
  lastAttempt: boolean;
}

/**
 * Sends one stored message, at least once (see apps/notifications/README.md, "Delivery
 * guarantees"). The record goes `sending` before the provider call and `sent` in the very next
 * write after the provider accepted it: a worker killed in between leaves `sending`, the stalled
 * job is retried and sends again with the same Message-ID, so receivers can drop the copy. A
 * record already `sent` or `failed` is never sent again.
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger(DeliveryService.name);

  constructor(
    private readonly messages: MessagesRepository,
    private readonly email: EmailSender,
    private readonly sms: SmsSender,
    private readonly clock: Clock,
  ) {}

  async deliver(messageId: string, attempt: DeliveryAttempt): Promise<DeliveryOutcome> {
    const claimed = await this.messages.claim(messageId, this.clock.now());
    if (!claimed) {
      this.logger.debug(`message ${messageId} is settled or unknown; nothing to send`);
      return 'skipped';
    }
    const { message, previousStatus } = claimed;
    if (previousStatus === 'sending') {
      this.logger.warn(
        `message ${messageId}: an earlier attempt died while sending; sending again with the same Message-ID`,
      );
    }
    let providerMessageId: string | null;
    try {
      providerMessageId = await this.send(message);
    } catch (error) {
      // Recorded before the job is handed back to BullMQ, so the retry's writes always come after this one.
      const final = attempt.lastAttempt || error instanceof PermanentDeliveryError;
      const reason = error instanceof Error ? error.message : String(error);
      await this.messages.recordAttemptFailure(messageId, message.attempts, reason, final, this.clock.now());
      throw error;
    }
    // Nothing but this write between the provider's accept and the record saying so.
    const sentAt = this.clock.now();
    await this.messages.markSent(messageId, providerMessageId, sentAt, [notificationSentEvent(message, sentAt)]);
    return 'sent';
  }

  /** A job BullMQ gave up on without a failed attempt of ours (it stalled too often). */
  async recordAbandoned(messageId: string, error: unknown): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    await this.messages.markFailed(messageId, reason, this.clock.now());
  }

  private async send(message: MessageRecord): Promise<string | null> {
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
