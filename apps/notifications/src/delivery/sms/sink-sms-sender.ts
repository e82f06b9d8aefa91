import { isDuplicateKeyError } from '@app/messaging';
import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import type { Clock } from '../../common/clock';
import { SmsSender, type OutgoingSms } from './sms-sender';
import type { SinkSmsRecord } from './sms-sink.schema';

/** Keeps text messages in the notifications database, for operators to read at /admin/sms-sink. */
@Injectable()
export class SinkSmsSender extends SmsSender {
  constructor(
    private readonly model: Model<SinkSmsRecord>,
    private readonly clock: Clock,
  ) {
    super();
  }

  async send(sms: OutgoingSms): Promise<string | null> {
    try {
      await this.model.create({ _id: sms.id, to: sms.to, body: sms.body, createdAt: this.clock.now() });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    return `sink-${sms.id}`;
  }
}
