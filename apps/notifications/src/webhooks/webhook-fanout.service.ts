import { EventHandlers, LabelCreatedV1, webhookSubscribed, type EventEnvelope } from '@app/contracts';
import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { webhookEventOf } from './webhook-event-map';
import { WebhookQueue } from './webhook-queue';
import type { WebhookDeliveryRecord } from './webhook.schema';
import { WebhooksRepository } from './webhooks.repository';
import { ParcelShippersRepository } from './parcel-shippers.repository';
import { Clock } from '@app/platform';

/**
 * The `webhook-id` of one event for one endpoint: the same for a replayed event (so a replay finds
 * the delivery and sends nothing twice), `msg_` and hex, never a ':' (BullMQ refuses it in job ids).
 */
export function webhookDeliveryId(sourceEventId: string, endpointId: string): string {
  return `msg_${createHash('sha256').update(`${sourceEventId}\n${endpointId}`).digest('hex').slice(0, 32)}`;
}

/** A label names its parcel's shipper: their endpoints get the parcel's events too. */
const SHIPPERS = new EventHandlers<{ trackingNumber: string; userId: string }>().on(LabelCreatedV1, (data) => data);

/** Turns a consumed event into one delivery per subscribed endpoint of the accounts it belongs to. */
@Injectable()
export class WebhookFanout {
  private readonly logger = new Logger(WebhookFanout.name);

  constructor(
    private readonly repository: WebhooksRepository,
    private readonly shippers: ParcelShippersRepository,
    private readonly queue: WebhookQueue,
    private readonly clock: Clock,
  ) {}

  async handle(envelope: EventEnvelope): Promise<void> {
    const label = SHIPPERS.dispatch(envelope);
    if (label) await this.shippers.record(label.trackingNumber, label.userId);
    const event = webhookEventOf(envelope);
    if (!event) return;
    const owners = new Set(event.owners);
    if (event.trackingNumber) {
      const shipper = await this.shippers.of(event.trackingNumber);
      if (shipper) owners.add(shipper);
    }
    // One owner at a time, endpoints in registration order: the enqueue order is the send order.
    for (const ownerId of owners) {
      for (const endpoint of await this.repository.endpointsOf(ownerId)) {
        if (endpoint.status !== 'enabled' || !webhookSubscribed(endpoint.eventTypes, event.type)) continue;
        const now = this.clock.now();
        const id = webhookDeliveryId(envelope.id, endpoint._id);
        const record: WebhookDeliveryRecord = {
          _id: id,
          endpointId: endpoint._id,
          ownerId,
          eventType: event.type,
          sourceEventId: envelope.id,
          // The payload shape the Standard Webhooks specification recommends.
          payload: JSON.stringify({ type: event.type, timestamp: envelope.occurredAt, data: event.data }),
          orderKey: event.orderKey,
          status: 'pending',
          attempts: [],
          nextAttemptAt: now,
          redeliveries: 0,
          createdAt: now,
          updatedAt: now,
        };
        const existing = await this.repository.insertDeliveryIfAbsent(record);
        if (existing && existing.status !== 'pending') continue; // a replay of a delivery under way or done
        const dropped = await this.queue.enqueue({ id, endpointId: endpoint._id, orderKey: event.orderKey });
        await this.repository.deleteDeliveries(dropped);
        this.logger.debug(`webhook ${id} (${event.type}) queued for endpoint ${endpoint._id}`);
      }
    }
  }
}
