import { NotificationQueues } from '@app/contracts';
import { inJobSpan } from '@app/platform';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { DelayedError, Worker } from 'bullmq';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config';
import { bullPrefix } from '../queues/job-options';
import { RedisConnections } from '../queues/redis-connections';
import { WebhookDeliveryService } from './webhook-delivery.service';
import type { WebhookJobData } from './webhook-queue';

/** The processor of the `webhook` queue (role worker or all). */
@Injectable()
export class WebhookWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookWorker.name);
  private worker?: Worker<WebhookJobData>;

  constructor(
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    private readonly redis: RedisConnections,
    private readonly delivery: WebhookDeliveryService,
  ) {}

  onApplicationBootstrap(): void {
    const queue = NotificationQueues.Webhook;
    this.worker = new Worker<WebhookJobData>(
      queue,
      (job, token) => inJobSpan(queue, job, () => this.delivery.process(job, token)),
      {
        connection: this.redis.create(),
        prefix: bullPrefix(this.config),
        concurrency: this.config.WEBHOOK_WORKER_CONCURRENCY,
      },
    );
    this.worker.on('failed', (job, error) => {
      if (!job || error instanceof DelayedError) return;
      this.logger.warn(`webhook job ${job.id} attempt ${job.attemptsMade} failed: ${error.message}`);
      this.delivery.recordAbandoned(job, error).catch((e: unknown) => {
        this.logger.error(`could not record the end of webhook job ${job.id}: ${String(e)}`);
      });
    });
    this.worker.on('error', (error) => this.logger.error(`webhook worker: ${error.message}`));
  }

  async beforeApplicationShutdown(): Promise<void> {
    // A delivery in hand is bounded by WEBHOOK_TIMEOUT_MS; an interrupted one comes back as stalled.
    await this.worker?.close();
  }
}
