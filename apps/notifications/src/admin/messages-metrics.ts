import { MetricsService } from '@app/platform';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MessagesRepository } from '../messages/messages.repository';
import { DeliveryQueues, type DeliveryChannel } from '../queues/delivery-queues';

/** Sent, failed and pending messages (from the message records) and queue depths, read at scrape time. */
@Injectable()
export class MessagesMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly messages: MessagesRepository,
    private readonly queues: DeliveryQueues,
  ) {}

  onModuleInit(): void {
    const messages = this.messages;
    const queues = this.queues;
    new Gauge({
      name: 'notifications_messages',
      help: 'Messages by channel and status (planned, queued, sending, sent, failed)',
      labelNames: ['channel', 'status'],
      registers: [this.metrics.registry],
      async collect() {
        this.reset();
        for (const row of await messages.countByChannelAndStatus()) {
          this.set({ channel: row.channel, status: row.status }, row.count);
        }
      },
    });
    new Gauge({
      name: 'notifications_queue_jobs',
      help: 'BullMQ jobs by queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.metrics.registry],
      async collect() {
        this.reset();
        for (const channel of ['email', 'sms'] as DeliveryChannel[]) {
          for (const [state, count] of Object.entries(await queues.counts(channel))) {
            this.set({ queue: channel, state }, count);
          }
        }
      },
    });
  }
}
