import { Inject, Injectable, Logger } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config';
import { WebhookNotices } from './webhook-notices';
import { nextRetryDelayMs, WebhookQueue, type WebhookJobData } from './webhook-queue';
import { WebhookSecrets } from './webhook-secrets';
import { WebhookSender } from './webhook-sender';
import { signedHeaders, signingSecrets } from './webhook-signer';
import type { DeliveryStatus, WebhookDeliveryRecord, WebhookEndpointRecord } from './webhook.schema';
import { WebhooksRepository } from './webhooks.repository';
import { Clock } from '@app/platform';

const FINAL: ReadonlySet<DeliveryStatus> = new Set(['succeeded', 'failed', 'cancelled']);

/** A failed attempt that BullMQ retries with its backoff. */
export class WebhookAttemptFailed extends Error {}

/** One attempt of one delivery: the order gate, the signed POST, the log, and the disable rule. */
@Injectable()
export class WebhookDeliveryService {
  private readonly logger = new Logger(WebhookDeliveryService.name);

  constructor(
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    private readonly repository: WebhooksRepository,
    private readonly queue: WebhookQueue,
    private readonly sender: WebhookSender,
    private readonly notices: WebhookNotices,
    private readonly clock: Clock,
    private readonly secrets: WebhookSecrets,
  ) {}

  async process(job: Job<WebhookJobData>, token: string | undefined): Promise<string> {
    const manual = job.data.manual === true;
    const delivery = await this.repository.findDelivery(job.data.deliveryId);
    if (!delivery) return 'gone';
    const release = () => this.queue.release(delivery.endpointId, delivery.orderKey, delivery._id);
    if (!manual && FINAL.has(delivery.status)) {
      await release();
      return delivery.status;
    }
    const endpoint = await this.repository.findEndpoint(delivery.endpointId);
    if (!endpoint || endpoint.status === 'disabled') {
      const status = endpoint ? 'failed' : 'cancelled';
      const error = endpoint ? `endpoint disabled: ${endpoint.disabledReason ?? ''}` : 'endpoint deleted';
      if (!manual)
        await this.repository.updateDelivery(delivery._id, {
          status,
          nextAttemptAt: null,
          updatedAt: this.clock.now(),
        });
      await release();
      return error;
    }
    if (!manual && delivery.orderKey) {
      const waitMs = await this.blockedFor(delivery);
      if (waitMs !== undefined) {
        // Held back behind an earlier delivery of its parcel: back to delayed without using an attempt.
        await job.moveToDelayed(Date.now() + waitMs, token);
        throw new DelayedError();
      }
    }
    return this.attempt(job, delivery, endpoint, manual);
  }

  /**
   * undefined when the delivery is the head of its order; else how long to wait before looking again.
   * A head that is finished or lost is repaired here, so one crash cannot stall a parcel for good.
   */
  private async blockedFor(delivery: WebhookDeliveryRecord): Promise<number | undefined> {
    const key = delivery.orderKey as string;
    for (;;) {
      const headId = await this.queue.head(delivery.endpointId, key);
      if (headId === undefined || headId === delivery._id) return undefined;
      const head = await this.repository.findDelivery(headId);
      if (!head || FINAL.has(head.status)) {
        await this.queue.release(delivery.endpointId, key, headId);
        continue;
      }
      if (!(await this.queue.hasJob(headId))) await this.queue.addJob(headId);
      const untilHead = (head.nextAttemptAt?.getTime() ?? 0) - this.clock.now().getTime();
      return Math.max(this.config.WEBHOOK_ORDER_RECHECK_MS, untilHead);
    }
  }

  private async attempt(
    job: Job<WebhookJobData>,
    delivery: WebhookDeliveryRecord,
    endpoint: WebhookEndpointRecord,
    manual: boolean,
  ): Promise<string> {
    const at = this.clock.now();
    const headers = signedHeaders(
      delivery._id,
      delivery.payload,
      signingSecrets(this.secrets.opened(endpoint.secrets), at),
      at,
    );
    const result = await this.sender.send({ url: endpoint.url, headers, body: delivery.payload });
    const ok = result.statusCode !== undefined && result.statusCode >= 200 && result.statusCode < 300;
    const attempt = {
      at,
      statusCode: result.statusCode ?? null,
      latencyMs: result.latencyMs,
      error: ok ? null : (result.error ?? `HTTP ${result.statusCode}`),
      manual,
    };
    const now = this.clock.now();
    if (ok) {
      await this.repository.updateDelivery(
        delivery._id,
        { status: 'succeeded', nextAttemptAt: null, updatedAt: now },
        attempt,
      );
      if (!manual) await this.queue.release(delivery.endpointId, delivery.orderKey, delivery._id);
      if (endpoint.failingSince !== null) {
        await this.repository.markEndpointRecovered(endpoint._id);
      }
      return `HTTP ${result.statusCode}`;
    }
    const attemptsMade = job.attemptsMade + 1;
    const final = manual || attemptsMade >= (job.opts.attempts ?? 1);
    const status: DeliveryStatus = manual ? delivery.status : final ? 'failed' : 'retrying';
    const nextAttemptAt = final ? null : new Date(now.getTime() + nextRetryDelayMs(this.config, attemptsMade));
    await this.repository.updateDelivery(delivery._id, { status, nextAttemptAt, updatedAt: now }, attempt);
    if (final && !manual) await this.queue.release(delivery.endpointId, delivery.orderKey, delivery._id);
    // A test event is the customer checking their receiver: it says nothing of the endpoint's health.
    if (job.data.test !== true) await this.noteFailure(endpoint, at);
    throw new WebhookAttemptFailed(attempt.error ?? 'failed');
  }

  /**
   * A job BullMQ gave up on without our last write (it stalled too often): the delivery is marked
   * failed and leaves its order, so it cannot hold its parcel's later deliveries back.
   */
  async recordAbandoned(job: Job<WebhookJobData>, error: Error): Promise<void> {
    // Also emitted for a failed attempt that will be retried, and for one stalled too often whatever its attempts.
    if (job.data.manual || (await job.getState()) !== 'failed') return;
    const delivery = await this.repository.findDelivery(job.data.deliveryId);
    if (!delivery) return;
    if (!FINAL.has(delivery.status)) {
      this.logger.warn(`webhook ${delivery._id} abandoned: ${error.message}`);
      await this.repository.updateDelivery(delivery._id, {
        status: 'failed',
        nextAttemptAt: null,
        updatedAt: this.clock.now(),
      });
    }
    await this.queue.release(delivery.endpointId, delivery.orderKey, delivery._id);
  }

  /** The disable rule: failing, with no success between, for WEBHOOK_DISABLE_AFTER_MS. */
  private async noteFailure(endpoint: WebhookEndpointRecord, at: Date): Promise<void> {
    if (endpoint.failingSince === null) {
      await this.repository.markEndpointFailing(endpoint._id, at);
      return;
    }
    if (at.getTime() - endpoint.failingSince.getTime() < this.config.WEBHOOK_DISABLE_AFTER_MS) return;
    const disabled = await this.repository.disableEndpoint(
      endpoint._id,
      `every delivery failed since ${endpoint.failingSince.toISOString()}`,
      at,
    );
    if (!disabled) return; // another attempt disabled it first: one email
    this.logger.warn(`webhook endpoint ${endpoint._id} disabled: failing since ${endpoint.failingSince.toISOString()}`);
    await this.notices.disabled(
      endpoint.createdBy ?? endpoint.ownerId,
      endpoint._id,
      endpoint.url,
      endpoint.failingSince,
    );
  }
}
