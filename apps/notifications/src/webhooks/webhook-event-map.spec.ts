import {
  createEnvelope,
  LabelCreatedV1,
  ParcelStatusChangedV1,
  PickupCancelledV1,
  webhookSubscribed,
} from '@app/contracts';
import { webhookEventOf } from './webhook-event-map';

function envelopeOf(definition: { type: string; version: number }, data: unknown) {
  return createEnvelope({ type: definition.type, version: definition.version, key: 'k', source: 'test', data });
}

describe('webhook events of Kafka events', () => {
  it('sends a status change to the addressees (and, later, the shipper), never to mere watchers, without user ids', () => {
    const envelope = envelopeOf(ParcelStatusChangedV1, {
      ...ParcelStatusChangedV1.example,
      recipients: [
        { userId: 'watcher', reason: 'watcher' },
        { userId: 'home', reason: 'addressee' },
      ],
    });
    const event = webhookEventOf(envelope);
    expect(event).toMatchObject({
      type: 'tracking.updated',
      owners: ['home'],
      trackingNumber: ParcelStatusChangedV1.example.trackingNumber,
      orderKey: `parcel:${ParcelStatusChangedV1.example.trackingNumber}`,
    });
    expect(JSON.stringify(event?.data)).not.toMatch(/watcher|home|recipients/);
  });

  it('keys a label by its parcel and a pickup by its confirmation number, owned by their buyer', () => {
    const label = webhookEventOf(envelopeOf(LabelCreatedV1, LabelCreatedV1.example));
    expect(label).toMatchObject({ type: 'label.created', owners: ['u_1'], orderKey: 'parcel:9470100123456000000017' });
    expect(label?.data).not.toHaveProperty('userId');
    const pickup = webhookEventOf(envelopeOf(PickupCancelledV1, PickupCancelledV1.example));
    expect(pickup).toMatchObject({ type: 'pickup.cancelled', owners: ['u_1'], orderKey: 'pickup:WTC100000001' });
  });

  it('matches wildcards by group only', () => {
    expect(webhookSubscribed(['pickup.*'], 'pickup.missed')).toBe(true);
    expect(webhookSubscribed(['pickup.*'], 'parcel.delivered')).toBe(false);
    expect(webhookSubscribed(['tracking.updated'], 'tracking.updated')).toBe(true);
  });
});
