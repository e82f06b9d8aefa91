import { PickupJobs, PickupQueues } from '@app/contracts';
import { bullConnection, withJobTrace, type JobTraceCarrier } from '@app/platform';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { PICKUP_CONFIG, type PickupConfig } from '../config';

export interface BatchJobData extends JobTraceCarrier {
  batchId: string;
}

/** Attempts, backoff and retention of batch jobs, in one place. */
export function batchJobOptions(config: PickupConfig): JobsOptions {
  return {
    attempts: config.PICKUP_BATCH_JOB_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.PICKUP_BATCH_BACKOFF_MS },
    // The batch document is the lasting record; failed jobs stay for inspection.
    removeOnComplete: { age: 24 * 3600, count: 1_000 },
    removeOnFail: false,
  };
}

/** The producer side of the `label-batches` queue. */
@Injectable()
export class BatchQueue implements OnApplicationShutdown {
  readonly queue: Queue<BatchJobData>;
  private readonly connection: Redis;

  constructor(@Inject(PICKUP_CONFIG) config: PickupConfig) {
    this.connection = bullConnection(config.REDIS_URL);
    this.queue = new Queue<BatchJobData>(PickupQueues.LabelBatches, {
      connection: this.connection,
      prefix: `${config.REDIS_PREFIX}bull`,
      defaultJobOptions: batchJobOptions(config),
    });
  }

  /** One job per batch (job id = batch id): a repeated upload adds nothing while the job is kept. */
  async enqueue(batchId: string): Promise<void> {
    await this.queue.add(PickupJobs.ProcessLabelBatch, withJobTrace({ batchId }), { jobId: batchId });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close().catch(() => undefined);
    await this.connection.quit().catch(() => undefined);
  }
}
