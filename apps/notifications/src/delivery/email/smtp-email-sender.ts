import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { PermanentDeliveryError } from '../delivery-errors';
import { EmailSender, type OutgoingEmail } from './email-sender';

export interface SmtpOptions {
  url: string;
  from: string;
  /** SMTP connections kept open and reused (nodemailer's pool) */
  poolSize: number;
}

/**
 * Email through any SMTP relay (Mailpit locally), over a pool of kept-open connections: a new
 * connection per message (greeting, EHLO, maybe TLS and AUTH) cost more than the message itself.
 */
@Injectable()
export class SmtpEmailSender extends EmailSender implements OnApplicationShutdown {
  private readonly transport: Transporter;

  constructor(private readonly options: SmtpOptions) {
    super();
    const url = new URL(options.url);
    const secure = url.protocol === 'smtps:';
    this.transport = createTransport({
      host: url.hostname,
      port: Number(url.port) || (secure ? 465 : 25),
      secure,
      auth: url.username
        ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
        : undefined,
      pool: true,
      maxConnections: options.poolSize,
      // nodemailer closes a pooled connection after 100 messages by default: a new connection
      // (greeting, EHLO, maybe TLS and AUTH) every 100 emails of each slot. Kept open instead, as the
      // bench's raw SMTP baseline does; a connection the relay drops is replaced by the pool.
      maxMessages: Infinity,
      // Fail fast while the relay is down: BullMQ retries with backoff.
      connectionTimeout: 5_000,
      greetingTimeout: 5_000,
      socketTimeout: 20_000,
    });
  }

  async send(email: OutgoingEmail): Promise<string | null> {
    try {
      const info = await this.transport.sendMail({
        from: this.options.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html ?? undefined,
        messageId: `<${email.id}@notifications.postal-portal>`,
      });
      return typeof info.messageId === 'string' ? info.messageId : null;
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      // 5xx replies to the envelope (unknown mailbox, refused content) will not change on retry.
      if (typeof code === 'number' && code >= 500 && code < 600) {
        throw new PermanentDeliveryError(`SMTP ${code}: ${(error as Error).message}`);
      }
      throw error;
    }
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
