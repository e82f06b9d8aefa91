import { MetricsService } from '@app/platform';
import { Injectable, Optional } from '@nestjs/common';
import type { Histogram } from 'prom-client';
import type { MessageRecord } from '../messages/message.schema';

/**
 * `notifications_event_to_sent_seconds{kind, channel}`: from when the fact happened (the arrival
 * scan of a ParcelArrived, see `sourceOccurredAt`) to the provider's accept. The arrival → email SLO
 * reads `kind="available_for_pickup", channel="email"`; the buckets hold its 30 s threshold
 * (deploy/prometheus/slo-rules.yml) and the 2 s goal of the performance issue. A worker-only process
 * (`NOTIFICATIONS_ROLE=worker`) records it too and serves it on its health port (main.ts).
 */
@Injectable()
export class DeliveryMetrics {
  private readonly latency?: Histogram<'kind' | 'channel'>;

  constructor(@Optional() metrics?: MetricsService) {
    this.latency = metrics?.histogram(
      'notifications_event_to_sent_seconds',
      'From the notified fact (the scan of a parcel event) to the provider accepting the message',
      ['kind', 'channel'],
      [0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 900],
    );
  }

  /**
   * Records one message the provider accepted; a record without a source time (older ones) is
   * skipped. The time is a string when it comes from a job's copy of the record.
   */
  sent(
    message: Pick<MessageRecord, 'kind' | 'channel'> & { sourceOccurredAt?: Date | string | null },
    sentAt: Date,
  ): void {
    if (!this.latency || !message.sourceOccurredAt) return;
    // A scanner's clock ahead of ours must not record a negative latency.
    const seconds = Math.max(0, (sentAt.getTime() - new Date(message.sourceOccurredAt).getTime()) / 1000);
    this.latency.observe({ kind: message.kind, channel: message.channel }, seconds);
  }
}
