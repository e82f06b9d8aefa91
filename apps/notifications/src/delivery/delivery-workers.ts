import type { NotificationQueue } from '@app/contracts';
import { inJobSpan } from '@app/platform';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config';
import { bullPrefix, type DeliveryJobData } from '../queues/job-options';
import { QUEUE_OF_CHANNEL, type DeliveryChannel } from '../queues/delivery-queues';
import { RedisConnections } from '../queues/redis-connections';
import { PermanentDeliveryError } from './delivery-errors';
import { DeliveryService } from './delivery.service';

/** One BullMQ worker per queue, each with its provider's rate limit; closed (after active jobs) on shutdown. */
@Injectable()
export class DeliveryWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeliveryWorkers.name);
  private readonly workers: Worker<DeliveryJobData>[] = [];

  constructor(
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    private readonly redis: RedisConnections,
    private readonly delivery: DeliveryService,
  ) {}

  onApplicationBootstrap(): void {
    const { config } = this;
    this.start('email', config.EMAIL_WORKER_CONCURRENCY, config.EMAIL_RATE_MAX, config.EMAIL_RATE_DURATION_MS);
    this.start('sms', config.SMS_WORKER_CONCURRENCY, config.SMS_RATE_MAX, config.SMS_RATE_DURATION_MS);
  }

  private start(channel: DeliveryChannel, concurrency: number, max: number, duration: number): void {
    const queue: NotificationQueue = QUEUE_OF_CHANNEL[channel];
    // Every job runs in a span under the one that enqueued it (the trace context is in its data).
    const worker = new Worker<DeliveryJobData>(queue, (job) => inJobSpan(queue, job, () => this.process(job)), {
      connection: this.redis.create(),
      prefix: bullPrefix(this.config),
      concurrency,
      limiter: { max, duration },
    });
    worker.on('failed', (job, error) => {
      if (!job) return;
      const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      this.logger.warn(
        `${queue} job ${job.id} attempt ${job.attemptsMade} failed${final ? ' for good' : ''}: ${error.message}`,
      );
      // deliver() recorded its own last failed attempt before this; a final failure is written again
      // in case no attempt of ours ran (stalled too often). No retry follows, so nothing races it.
      if (!final) return;
      this.delivery.recordAbandoned(job.data.messageId, channel, error).catch((e: unknown) => {
        this.logger.error(`could not record the failure of ${job.data.messageId}: ${String(e)}`);
      });
    });
    worker.on('error', (error) => this.logger.error(`${queue} worker: ${error.message}`));
    this.workers.push(worker);
  }

  private async process(job: Job<DeliveryJobData>): Promise<string> {
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    // attemptsStarted counts this start too (failed attempts and stalled restarts before it);
    // attemptsMade only the attempts that failed.
    const number = Math.max(job.attemptsStarted, job.attemptsMade + 1);
    const afterStall = job.attemptsStarted > job.attemptsMade + 1;
    try {
      return await this.delivery.deliver(job.data.messageId, { number, lastAttempt, afterStall }, job.data.message);
    } catch (error) {
      if (error instanceof PermanentDeliveryError) throw new UnrecoverableError(error.message);
      throw error;
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    // close() waits for the jobs in hand to finish; nothing new is taken meanwhile. A provider that
    // hangs must not hold the stop past the supervisor's grace period (30 s in Kubernetes): past the
    // drain timeout the shutdown goes on, and those jobs come back through stalled-job recovery.
    const drained = Promise.allSettled(this.workers.map((w) => w.close())).then(() => true);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), this.config.NOTIFICATIONS_DRAIN_TIMEOUT_MS);
    });
    const done = await Promise.race([drained.then(() => this.delivery.flushed()).then(() => true), timeout]);
    clearTimeout(timer);
    if (!done) {
      this.logger.warn(
        `jobs still active after ${this.config.NOTIFICATIONS_DRAIN_TIMEOUT_MS} ms: left to stalled-job recovery`,
      );
    }
  }
}
