import { randomUUID } from 'node:crypto';
import { Topics } from '@app/contracts';
import {
  collectEvents,
  createPickup,
  createUser,
  TEST_FROM,
  TEST_TO,
  TEST_CARD_PAYMENT,
  waitFor,
  type EventCollector,
} from '@app/testing';
import { FACILITY, scannerKey, startFlow, type Flow } from './flow-helpers';

jest.setTimeout(180_000);

interface Envelope {
  id: string;
  type: string;
  correlationId?: string;
  data: Record<string, unknown>;
}

describe('x-request-id as the correlation id of the events it causes (real stack)', () => {
  let flow: Flow;
  let tracking: EventCollector<Envelope>;
  let pickup: EventCollector<Envelope>;
  let notifications: EventCollector<Envelope>;

  beforeAll(async () => {
    flow = await startFlow();
    tracking = await collectEvents<Envelope>(Topics.Tracking, { prefix: flow.portal.topicPrefix });
    pickup = await collectEvents<Envelope>(Topics.Pickup, { prefix: flow.portal.topicPrefix });
    notifications = await collectEvents<Envelope>(Topics.Notification, { prefix: flow.portal.topicPrefix });
  });

  afterAll(async () => {
    await tracking?.stop();
    await pickup?.stop();
    await notifications?.stop();
    await flow?.portal.stop();
  });

  it('carries a scan request id through tracking into the pickup it completes', async () => {
    const { api, mailpit } = flow;
    const user = await createUser(api, mailpit);
    const labelRequestId = randomUUID();
    const label = await api.call<{ trackingNumber: string; labelId: string }>('POST', '/labels', {
      token: user.accessToken,
      headers: { 'x-request-id': labelRequestId },
      body: { from: TEST_FROM, to: TEST_TO, weightOz: 16, service: 'ground_advantage', payment: TEST_CARD_PAYMENT },
    });
    expect(label.status).toBe(201);
    const tn = label.body.trackingNumber;
    const created = await pickup.waitFor((e) => e.value.type === 'LabelCreated' && e.value.data.trackingNumber === tn);
    expect(created.value.correlationId).toBe(labelRequestId);

    const scheduled = await createPickup(api, user.accessToken, { trackingNumbers: [tn] });
    const key = await scannerKey(api);
    const scanRequestId = randomUUID();
    const posted = await api.call('POST', '/scans', {
      headers: { 'x-api-key': key, 'x-request-id': scanRequestId },
      body: {
        events: [
          {
            eventId: randomUUID(),
            trackingNumber: tn,
            code: 'accepted',
            occurredAt: new Date().toISOString(),
            facility: FACILITY,
          },
        ],
      },
    });
    expect(posted.status).toBe(202);

    const changed = await tracking.waitFor(
      (e) =>
        e.value.type === 'ParcelStatusChanged' &&
        e.value.data.trackingNumber === tn &&
        e.value.data.statusCategory === 'accepted',
      { timeoutMs: 30_000 },
    );
    expect(changed.value.correlationId).toBe(scanRequestId);
    const completed = await pickup.waitFor(
      (e) => e.value.type === 'PickupCompleted' && e.value.data.confirmationNumber === scheduled.confirmationNumber,
      { timeoutMs: 30_000 },
    );
    expect(completed.value.correlationId).toBe(scanRequestId);
    // The email telling the customer the pickup is done says so too.
    const told = await notifications.waitFor(
      (e) =>
        e.value.type === 'NotificationSent' &&
        e.value.data.sourceEventId === completed.value.id &&
        e.value.data.channel === 'email',
      { timeoutMs: 30_000 },
    );
    expect(told.value.correlationId).toBe(scanRequestId);
    await waitFor(
      async () =>
        (await api.get<{ status: string }>(`/pickups/${scheduled.confirmationNumber}`, user.accessToken)).body
          .status === 'completed',
      { timeoutMs: 30_000, description: 'the pickup completed' },
    );
  });
});
