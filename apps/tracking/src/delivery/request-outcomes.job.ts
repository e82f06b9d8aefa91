import {
  InterceptResolvedV1,
  RedeliveryOutcomeV1,
  RedeliveryStatuses,
  type EventEnvelope,
  type InterceptAction,
} from '@app/contracts';
import { toOutboxEntries } from '@app/messaging';
import { Inject, Injectable } from '@nestjs/common';
import { TRACKING_CONFIG, type TrackingConfig } from '../config';
import { ParcelRepository } from '../parcels/parcel.repository';
import { DeliveryRequestKinds, type DeliveryRequest } from './delivery-request.schema';
import { DeliveryRequestsRepository } from './delivery-requests.repository';
import { interceptOutcome, redeliveryOutcome } from './delivery-rules';
import { RequestEvents } from './request-events';
import { Clock, PeriodicJob } from '@app/platform';

/** More open requests than one sweep reads are left to the next one. */
const MAX_OPEN_READ = 500;
/** Outcomes after which a request is no longer followed. */
const FINAL_REDELIVERY_OUTCOMES = ['delivered', 'failed'];

/**
 * Tells whoever asked what became of their intercept (succeeded or failed) and redelivery
 * (confirmed, delivered, failed), from the scans that answer them. Each outcome is sent once: it is
 * a document with a unique `_id` (`outcome:<requestId>:<outcome>`) carrying the event in its
 * outbox, so two instances sweeping at once, or a crash before the request is marked, send it once.
 */
@Injectable()
export class RequestOutcomesJob extends PeriodicJob {
  constructor(
    private readonly parcels: ParcelRepository,
    private readonly requests: DeliveryRequestsRepository,
    private readonly events: RequestEvents,
    private readonly clock: Clock,
    @Inject(TRACKING_CONFIG) config: TrackingConfig,
  ) {
    super('request outcomes', config.TRACKING_OUTCOME_INTERVAL_SECONDS * 1000);
  }

  /** Sends the outcomes decided since the last sweep; returns how many. */
  async sweep(): Promise<number> {
    let sent = 0;
    const intercepts = await this.requests.findOpen(
      DeliveryRequestKinds.Intercept,
      { outcome: { $exists: false } },
      MAX_OPEN_READ,
    );
    for (const intercept of intercepts) {
      const parcel = await this.parcels.findById(intercept.trackingNumber);
      if (!parcel) continue;
      const action: InterceptAction = intercept.action ?? 'return_to_sender';
      const decided = interceptOutcome(
        { action, requestedAt: new Date(intercept.createdAt).toISOString(), address: intercept.address },
        parcel.events,
      );
      if (decided.status === 'requested') continue;
      const event = this.events.create(InterceptResolvedV1, intercept.trackingNumber, {
        interceptId: intercept._id,
        trackingNumber: intercept.trackingNumber,
        userId: intercept.userId,
        action,
        status: decided.status,
        ...(decided.reason ? { reason: decided.reason } : {}),
        occurredAt: decided.decidedAt ?? this.clock.now().toISOString(),
      });
      if (await this.notify(intercept, decided.status, event)) sent++;
    }

    const redeliveries = await this.requests.findOpen(
      DeliveryRequestKinds.Redelivery,
      { status: RedeliveryStatuses.Scheduled, outcome: { $nin: FINAL_REDELIVERY_OUTCOMES } },
      MAX_OPEN_READ,
    );
    for (const redelivery of redeliveries) {
      const parcel = await this.parcels.findById(redelivery.trackingNumber);
      if (!parcel) continue;
      const decided = redeliveryOutcome(new Date(redelivery.createdAt).toISOString(), parcel.events);
      if (!decided || decided.outcome === redelivery.outcome) continue;
      const event = this.events.create(RedeliveryOutcomeV1, redelivery.trackingNumber, {
        confirmationNumber: redelivery._id,
        trackingNumber: redelivery.trackingNumber,
        userId: redelivery.userId,
        date: redelivery.date ?? '',
        outcome: decided.outcome,
        occurredAt: decided.occurredAt,
      });
      if (await this.notify(redelivery, decided.outcome, event)) sent++;
    }
    return sent;
  }

  /** Writes the outcome once (its document carries the event), then marks the request; true when this call sent it. */
  private async notify(request: DeliveryRequest, outcome: string, event: EventEnvelope): Promise<boolean> {
    const id = `outcome:${request._id}:${outcome}`;
    const now = this.clock.now();
    const inserted = await this.requests.insert({
      _id: id,
      kind: DeliveryRequestKinds.Outcome,
      userId: request.userId,
      trackingNumber: request.trackingNumber,
      status: outcome,
      createdAt: now,
      updatedAt: now,
      outbox: toOutboxEntries([event]),
    });
    if (inserted) await this.requests.flush(id);
    await this.requests.change({ _id: request._id }, { outcome });
    return inserted;
  }
}
