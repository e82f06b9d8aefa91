import { type EventEnvelope, ScanRecordedV1, scanEnvelopeId, type ScanRecordedData } from '@app/contracts';
import { BrokerUnavailableError, eventEnvelope, EventPublisher, type EnvelopeSource } from '@app/messaging';
import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { TRACKING_SOURCE } from '../parcels/parcel-state';
import { Clock } from '@app/platform';

export interface ScanSubmission {
  accepted: number;
  rejected: { index: number; reason: string }[];
}

/** 503: the scans were not taken because Kafka is unavailable; the controller sets `Retry-After`. */
export class ScansUnavailableException extends ServiceUnavailableException {
  constructor(readonly retryAfterSeconds: number) {
    super({
      message: 'scan intake is temporarily unavailable (event broker unreachable); retry later',
      retryAfterSeconds,
    });
  }
}

/** Validates scans from HTTP and produces the good ones to `postal.scans`; they are applied by the consumer. */
@Injectable()
export class ScansService {
  private readonly source: EnvelopeSource = { source: TRACKING_SOURCE, uuid: randomUUID, now: () => this.clock.now() };

  constructor(
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
  ) {}

  async submit(events: readonly unknown[], correlationId?: string): Promise<ScanSubmission> {
    const envelopes: EventEnvelope<ScanRecordedData>[] = [];
    const rejected: ScanSubmission['rejected'] = [];
    events.forEach((candidate, index) => {
      const parsed = ScanRecordedV1.schema.safeParse(candidate);
      if (!parsed.success) {
        rejected.push({ index, reason: describeIssues(parsed.error) });
        return;
      }
      envelopes.push(
        // The id comes from the scan's own id, so a scan submitted twice is one event.
        eventEnvelope(this.source, ScanRecordedV1, parsed.data.trackingNumber, parsed.data, {
          id: scanEnvelopeId(parsed.data.eventId),
          correlationId,
        }),
      );
    });
    try {
      await this.publisher.publish(envelopes);
    } catch (error) {
      if (error instanceof BrokerUnavailableError) throw new ScansUnavailableException(error.retryAfterSeconds);
      throw error;
    }
    return { accepted: envelopes.length, rejected };
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path === '' ? issue.message : `${path}: ${issue.message}`;
    })
    .join('; ');
}
