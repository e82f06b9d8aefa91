import { computeImpbCheckDigit } from '@app/contracts';
import { createLabel, createUser, waitFor } from '@app/testing';
import { randomInt } from 'node:crypto';
import { postScans, scanEvent, scannerKey, startFlow, type Flow } from './flow-helpers';

jest.setTimeout(180_000);

interface TrackingView {
  trackingNumber: string;
  statusCategory: string;
  events: { code: string; occurredAt: string }[];
}

/** A valid IMpb number no label or scan has used. */
function unusedTrackingNumber(): string {
  const body = `9205590${String(Date.now()).slice(-8)}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
  return body + computeImpbCheckDigit(body);
}

describe('tracking through the gateway (real stack)', () => {
  let flow: Flow;

  beforeAll(async () => {
    flow = await startFlow();
  });

  afterAll(async () => {
    await flow?.portal.stop();
  });

  it('answers 400 for a malformed number, 404 for a valid unknown one and 400 for more than 35 numbers', async () => {
    const { api } = flow;
    const wrongDigit = await api.get<{ message: string }>('/tracking/9212391234567812345671');
    expect(wrongDigit.status).toBe(400);
    expect(wrongDigit.body.message).toContain('wrong check digit');
    expect((await api.get('/tracking/not-a-number')).status).toBe(400);
    expect((await api.get(`/tracking/${unusedTrackingNumber()}`)).status).toBe(404);
    const numbers = (n: number) => Array.from({ length: n }, () => unusedTrackingNumber()).join(',');
    expect((await api.get(`/tracking?numbers=${numbers(36)}`)).status).toBe(400);
    const many = await api.get<{ results: { found: boolean }[] }>(`/tracking?numbers=${numbers(35)}`);
    expect(many.status).toBe(200);
    expect(many.body.results).toHaveLength(35);
  });

  it('reports each bad event of a /scans batch by index with its reason', async () => {
    const { api } = flow;
    const key = await scannerKey(api);
    const tn = unusedTrackingNumber();
    const res = await postScans(api, key, [
      scanEvent(tn, 'accepted', new Date()),
      scanEvent(tn, 'teleported', new Date()),
      scanEvent(`${tn.slice(0, -1)}${(Number(tn.at(-1)) + 1) % 10}`, 'accepted', new Date()),
      scanEvent(tn, 'in_transit', new Date(Date.now() + 60 * 60 * 1000)),
    ]);
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(1);
    expect(res.body.rejected.map((r) => r.index)).toEqual([1, 2, 3]);
    expect(res.body.rejected[1].reason).toContain('wrong check digit');
    expect(res.body.rejected[2].reason).toContain('future');
    for (const rejected of res.body.rejected) expect(rejected.reason).toEqual(expect.any(String));
  });

  it('keeps the newest status when a scan arrives late or twice, with no duplicate event', async () => {
    const { api, mailpit } = flow;
    const user = await createUser(api, mailpit);
    const tn = (await createLabel(api, user.accessToken)).trackingNumber;
    await waitFor(async () => (await api.get(`/tracking/${tn}`)).status === 200, {
      timeoutMs: 20_000,
      description: 'the label parcel known to tracking',
    });
    const key = await scannerKey(api);
    // After the label's creation (its event sorts by time too), within the allowed clock skew.
    const base = Date.now();
    const t = (seconds: number) => new Date(base + seconds * 1000);
    const transit = scanEvent(tn, 'in_transit', t(40));
    expect((await postScans(api, key, [scanEvent(tn, 'accepted', t(1)), transit])).body.accepted).toBe(2);
    // Older than the latest one, then the latest one again.
    expect((await postScans(api, key, [scanEvent(tn, 'processed', t(20))])).body.accepted).toBe(1);
    expect((await postScans(api, key, [transit])).body.accepted).toBe(1);
    // A marker scan (older still) proves the requests before it were applied when it shows.
    expect((await postScans(api, key, [scanEvent(tn, 'picked_up', t(10))])).body.accepted).toBe(1);

    const view = await waitFor(
      async () => {
        const res = await api.get<TrackingView>(`/tracking/${tn}`);
        return res.body.events?.some((e) => e.code === 'picked_up') ? res.body : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, description: 'the scans applied' },
    );
    expect(view.statusCategory).toBe('in_transit');
    expect(view.events.map((e) => e.code)).toEqual([
      'in_transit',
      'processed',
      'picked_up',
      'accepted',
      'label_created',
    ]);
  });
});
