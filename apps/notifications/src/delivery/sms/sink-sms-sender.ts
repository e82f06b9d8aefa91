import { Injectable } from '@nestjs/common';
import { SmsSender, type OutgoingSms } from './sms-sender';
import type { SmsSinkRepository } from './sms-sink.repository';
import type { Clock } from '@app/platform';

/** One-time codes in a text: 6 to 10 digits standing alone (tracking numbers are 20 or more). */
const CODE = /(?<!\d)\d{6,10}(?!\d)/g;

/** The text with every one-time code replaced by asterisks of the same length. */
export function maskCodes(body: string): string {
  return body.replace(CODE, (code) => '*'.repeat(code.length));
}

export interface SinkOptions {
  /**
   * Keep codes readable (config `SMS_SINK_SHOW_CODES`, development only): the test harness reads
   * verification codes here. Otherwise they are masked before they are stored, so an operator (or anyone
   * reading the database) cannot take a customer's reset code.
   */
  showCodes: boolean;
}

/** Keeps text messages in the notifications database, for operators to read at /admin/sms-sink. */
@Injectable()
export class SinkSmsSender extends SmsSender {
  constructor(
    private readonly sink: Pick<SmsSinkRepository, 'keep'>,
    private readonly clock: Clock,
    private readonly options: SinkOptions,
  ) {
    super();
  }

  async send(sms: OutgoingSms): Promise<string | null> {
    const body = this.options.showCodes ? sms.body : maskCodes(sms.body);
    await this.sink.keep({ _id: sms.id, to: sms.to, body, createdAt: this.clock.now() });
    return `sink-${sms.id}`;
  }
}
