import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { MessagesRepository } from '../messages/messages.repository';
import { notificationSentEvent } from '../messages/notification-sent.event';
import { EmailSender } from './email/email-sender';
import { SmsSender } from './sms/sms-sender';

export type DeliveryOutcome = 'sent' | 'skipped';

/**
 * Sends one stored message. The record goes `sending` before the provider call and `sent` right
 * after it: a worker that dies in between leaves `sending`, and the stalled job is retried, so the
 * message may go out twice in that one window but is never lost (Message-ID lets mail systems drop
 * the copy). A record already `sent` or `failed` is never sent again.
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

  async deliver(messageId: string): Promise<DeliveryOutcome> {
    const message = await this.messages.claim(messageId, this.clock.now());
    if (!message) {
      this.logger.debug(`message ${messageId} is settled or unknown; nothing to send`);
      return 'skipped';
    }
    if (!message.to) throw new Error(`message ${messageId} has no address`);
    let providerMessageId: string | null;
    switch (message.channel) {
      case 'email':
        providerMessageId = await this.email.send({
          id: message._id,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
        });
        break;
      case 'sms':
        providerMessageId = await this.sms.send({ id: message._id, to: message.to, body: message.text });
        break;
      case 'in_app':
        providerMessageId = null;
        break;
    }
    const sentAt = this.clock.now();
    await this.messages.markSent(messageId, providerMessageId, sentAt, [notificationSentEvent(message, sentAt)]);
    return 'sent';
  }

  async recordFailure(messageId: string, error: unknown, final: boolean): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    await this.messages.recordFailure(messageId, reason, final, this.clock.now());
  }
}
