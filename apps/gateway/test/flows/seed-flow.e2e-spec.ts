import { createAddress, createLabel, createUser, TEST_TO, waitFor, type TestUser } from '@app/testing';
import {
  FACILITY,
  postScans,
  scanEvent,
  scannerKey,
  settledCount,
  startFlow,
  verifyAddressByLetter,
  type Flow,
} from './flow-helpers';

jest.setTimeout(180_000);

interface TrackingView {
  trackingNumber: string;
  statusCategory: string;
  events: { code: string }[];
}

describe('seed flow through the gateway (real stack)', () => {
  let flow: Flow;

  beforeAll(async () => {
    flow = await startFlow();
  });

  afterAll(async () => {
    await flow?.portal.stop();
  });

  it('tells the label creator and the verified addressee once that their parcel is available for pickup', async () => {
    const { api, mailpit } = flow;
    const creator: TestUser = await createUser(api, mailpit);
    const addressee: TestUser = await createUser(api, mailpit);
    const home = await createAddress(api, addressee.accessToken, {
      name: TEST_TO.name,
      line1: TEST_TO.line1,
      city: TEST_TO.city,
      state: TEST_TO.state,
      zip: TEST_TO.zip,
    });
    await verifyAddressByLetter(api, addressee.accessToken, home.id);

    const label = await createLabel(api, creator.accessToken, { to: TEST_TO });
    const tn = label.trackingNumber;

    const preShipment = await waitFor(
      async () => {
        const res = await api.get<TrackingView>(`/tracking/${tn}`);
        return res.status === 200 && res.body.statusCategory === 'pre_shipment' && res.body;
      },
      { timeoutMs: 20_000, intervalMs: 250, description: 'the label parcel in pre_shipment' },
    );
    expect(preShipment.trackingNumber).toBe(tn);
    const watchlist = await waitFor(
      async () => {
        const res = await api.get<{ items: { trackingNumber: string }[] }>('/tracking/watchlist', creator.accessToken);
        return res.body.items?.some((i) => i.trackingNumber === tn) && res.body.items;
      },
      { timeoutMs: 20_000, intervalMs: 250, description: 'the label on its creator watchlist' },
    );
    expect(watchlist.map((i) => i.trackingNumber)).toContain(tn);

    const key = await scannerKey(api);
    const accepted = await postScans(api, key, [scanEvent(tn, 'accepted', new Date())]);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ accepted: 1, rejected: [] });
    const arrival = scanEvent(tn, 'available_for_pickup', new Date(Date.now() + 1));
    const arrived = await postScans(api, key, [arrival]);
    expect(arrived.status).toBe(202);
    expect(arrived.body).toEqual({ accepted: 1, rejected: [] });

    const tracked = await waitFor(
      async () => {
        const res = await api.get<TrackingView>(`/tracking/${tn}`);
        return res.body.statusCategory === 'available_for_pickup' && res.body;
      },
      { timeoutMs: 30_000, intervalMs: 250, description: 'the parcel available for pickup' },
    );
    expect(tracked.events.map((e) => e.code).slice(0, 2)).toEqual(['available_for_pickup', 'accepted']);

    const subject = `Your parcel ${tn} is available for pickup`;
    const email = await mailpit.waitForMessage({ to: creator.email, subject, timeoutMs: 30_000 });
    const text = await mailpit.messageText(email.ID);
    expect(text).toContain(tn);
    expect(text).toContain(FACILITY.name);
    await mailpit.waitForMessage({ to: addressee.email, subject, timeoutMs: 30_000 });

    const inbox = await waitFor(
      async () => {
        const res = await api.get<{ items: { kind: string; title: string }[] }>('/notifications', creator.accessToken);
        return res.body.items?.find((i) => i.kind === 'available_for_pickup' && i.title.includes(tn));
      },
      { timeoutMs: 20_000, intervalMs: 250, description: 'an in-app notice for the arrival' },
    );
    expect(inbox.title).toBe(subject);

    const incoming = await waitFor(
      async () => {
        const res = await api.get<{ items: { trackingNumber: string; statusCategory?: string }[] }>(
          '/tracking/incoming',
          addressee.accessToken,
        );
        return res.body.items?.find((i) => i.trackingNumber === tn);
      },
      { timeoutMs: 20_000, intervalMs: 250, description: 'the parcel among the addressee incoming parcels' },
    );
    expect(incoming.trackingNumber).toBe(tn);
    const creatorIncoming = await api.get<{ items: { trackingNumber: string }[] }>(
      '/tracking/incoming',
      creator.accessToken,
    );
    expect(creatorIncoming.body.items.map((i) => i.trackingNumber)).not.toContain(tn);

    const replay = await postScans(api, key, [arrival]);
    expect(replay.status).toBe(202);
    expect(await settledCount(mailpit, creator.email, subject)).toBe(1);
    expect(await settledCount(mailpit, addressee.email, subject, 500)).toBe(1);
  });
});
