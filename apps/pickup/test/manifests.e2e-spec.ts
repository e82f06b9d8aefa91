import { randomUUID } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import request from 'supertest';
import {
  centralDate,
  checkTrackingNumber,
  createEnvelope,
  deliveryDaysAfter,
  type ManifestCreatedData,
  ParcelStatusChangedV1,
  Topics,
  topicName,
} from '@app/contracts';
import { collectEvents, produce, waitFor } from '@app/testing';
import { formatPicForHumans } from '../src/labels/impb';
import { startPickup, type PickupUnderTest } from './support/pickup-app';

jest.setTimeout(180_000);

const ada = { name: 'ADA LOVELACE', line1: '1 MAIN ST', city: 'CHICAGO', state: 'IL', zip: '60601' };
const alan = { name: 'ALAN TURING', line1: '2 ELM ST', city: 'DENVER', state: 'CO', zip: '80202' };
const card = { method: 'card', paymentMethodId: 'pm_card_visa' };

/** The text drawn by a pdfkit PDF: its deflated content streams' hex strings. */
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const lines: string[] = [];
  for (const match of raw.matchAll(/stream\r?\n/g)) {
    const start = (match.index ?? 0) + match[0].length;
    try {
      const content = inflateSync(pdf.subarray(start, raw.indexOf('endstream', start))).toString('latin1');
      for (const tj of content.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
        lines.push(Buffer.from([...tj[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]).join(''), 'hex').toString());
      }
    } catch {
      continue;
    }
  }
  return lines.join('\n');
}

// SCAN forms on the real stack: the acceptance arrives on tracking.events (Kafka) as tracking publishes it.
describe('manifests (SCAN forms): one barcode accepts every label on it', () => {
  let pickup: PickupUnderTest;
  const api = () => request(pickup.app.getHttpServer());
  const label = async (auth: string) =>
    (
      await api()
        .post('/api/v1/labels')
        .set('authorization', auth)
        .send({ from: ada, to: alan, weightOz: 20, service: 'priority', payment: card })
        .expect(201)
    ).body as { labelId: string; trackingNumber: string };
  const manifest = (auth: string, body: Record<string, unknown>) =>
    api().post('/api/v1/manifests').set('authorization', auth).send(body);
  const accept = (trackingNumber: string, previousCategory = 'pre_shipment') =>
    produce(topicName(Topics.Tracking, pickup.prefix), [
      {
        key: trackingNumber,
        value: createEnvelope({
          id: randomUUID(),
          type: ParcelStatusChangedV1.type,
          version: 1,
          key: trackingNumber,
          source: 'e2e',
          data: {
            ...ParcelStatusChangedV1.example,
            trackingNumber,
            previousCategory,
            statusCategory: 'accepted',
            code: 'accepted',
            occurredAt: new Date().toISOString(),
          },
        }),
      },
    ]);
  // A delivery day after today: bookable for a pickup, and a valid mailing date.
  const date = deliveryDaysAfter(centralDate(new Date()), 1)[0];

  beforeAll(async () => {
    pickup = await startPickup();
  });

  afterAll(async () => {
    await pickup?.close();
  });

  it('accepts all its labels and completes their pickup on the first scan; a second scan changes nothing', async () => {
    const alice = await pickup.token();
    const labels = [await label(alice), await label(alice), await label(alice)];
    const scheduled = await api()
      .post('/api/v1/pickups')
      .set('authorization', alice)
      .send({
        address: ada,
        date,
        packageLocation: 'front_door',
        packages: { priorityExpress: 0, priority: 2, groundAdvantage: 0, returns: 0, international: 0, other: 0 },
        estimatedWeightLb: 3,
        contact: { email: 'ada@example.com' },
        labelIds: [labels[0].labelId, labels[1].labelId],
      })
      .expect(201);
    const pickupEvents = await collectEvents<{ type: string; key: string; data: ManifestCreatedData }>(
      topicName(Topics.Pickup, pickup.prefix),
    );
    const created = await manifest(alice, { labelIds: labels.map((l) => l.labelId), date }).expect(201);
    const number = created.body.manifestNumber as string;
    // Tracking learns the form from ManifestCreated, published from the manifest's outbox.
    try {
      const event = await pickupEvents.waitFor(
        (e) => e.value.type === 'ManifestCreated' && e.value.data.manifestId === number,
        { timeoutMs: 30_000 },
      );
      expect(event.value.key).toBe(number);
      expect(event.value.data).toMatchObject({ date, trackingNumbers: labels.map((l) => l.trackingNumber) });
      expect(event.value.data.userId).toEqual(expect.any(String));
    } finally {
      await pickupEvents.stop();
    }
    expect(created.body).toMatchObject({ status: 'open', labelCount: 3, date });
    expect(created.body.trackingNumbers).toEqual(labels.map((l) => l.trackingNumber));
    // The number is a valid IMpb barcode number, so scanners and POST /scans take it.
    expect(checkTrackingNumber(number)).toMatchObject({ valid: true, kind: 'impb' });
    expect(number).toMatch(/^92750\d{17}$/);

    const pdf = await api().get(`/api/v1/manifests/${number}/pdf`).set('authorization', alice).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = pdfText(pdf.body as Buffer);
    expect(text).toContain(formatPicForHumans(number));
    for (const l of labels) expect(text).toContain(formatPicForHumans(l.trackingNumber));
    expect(text).toContain('Total pieces: 3');

    await accept(number);
    await waitFor(
      async () => {
        const m = await api().get(`/api/v1/manifests/${number}`).set('authorization', alice).expect(200);
        return m.body.status === 'accepted';
      },
      { timeoutMs: 60_000 },
    );
    const acceptedAt: string[] = [];
    for (const l of labels) {
      const got = await api().get(`/api/v1/labels/${l.labelId}`).set('authorization', alice).expect(200);
      expect(got.body.acceptedAt).toBeDefined();
      acceptedAt.push(got.body.acceptedAt as string);
    }
    const cn = scheduled.body.confirmationNumber as string;
    const pickupNow = await api().get(`/api/v1/pickups/${cn}`).set('authorization', alice).expect(200);
    expect(pickupNow.body.status).toBe('completed');
    // Accepted: no refund any more.
    await api().post(`/api/v1/labels/${labels[2].labelId}/refund`).set('authorization', alice).expect(409);

    // A second scan (tracking publishes a change from accepted now) is a no-op.
    await accept(number, 'accepted');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    for (const [i, l] of labels.entries()) {
      const got = await api().get(`/api/v1/labels/${l.labelId}`).set('authorization', alice).expect(200);
      expect(got.body.acceptedAt).toBe(acceptedAt[i]);
    }
  });

  it('puts a label on one manifest only, and only its owner’s active labels', async () => {
    const bob = await pickup.token();
    const mallory = await pickup.token();
    const [a, b] = [await label(bob), await label(bob)];
    const first = await manifest(bob, { labelIds: [a.labelId], date }).expect(201);
    const again = await manifest(bob, { labelIds: [b.labelId, a.labelId], date }).expect(409);
    expect(again.body.message).toContain(first.body.manifestNumber as string);
    // The refused request left b free.
    await manifest(bob, { labelIds: [b.labelId], date }).expect(201);
    expect((await manifest(mallory, { labelIds: [a.labelId], date }).expect(404)).body.message).toContain(a.labelId);
    await api().get(`/api/v1/manifests/${first.body.manifestNumber}`).set('authorization', mallory).expect(404);
    await api().get(`/api/v1/manifests/${first.body.manifestNumber}/pdf`).set('authorization', mallory).expect(404);
    const list = await api().get('/api/v1/manifests').set('authorization', bob).expect(200);
    expect(list.body.items).toHaveLength(2);

    const c = await label(bob);
    await api().post(`/api/v1/labels/${c.labelId}/refund`).set('authorization', bob).expect(200);
    expect((await manifest(bob, { labelIds: [c.labelId], date }).expect(409)).body.message).toMatch(/refunded/);
  });

  it('refuses a malformed manifest with 400 and the reason', async () => {
    const carol = await pickup.token();
    const l = await label(carol);
    await manifest(carol, { labelIds: [], date }).expect(400);
    await manifest(carol, { labelIds: [l.labelId, l.labelId], date }).expect(400);
    await manifest(carol, { labelIds: [l.labelId], date: '2020-01-01' }).expect(400);
    await manifest(carol, { labelIds: [l.labelId], date: '2026-02-30' }).expect(400);
    await manifest(carol, { labelIds: [l.labelId], date: '3000-01-01' }).expect(400);
    await manifest(carol, { labelIds: [l.labelId] }).expect(400);
    await manifest(carol, { labelIds: Array.from({ length: 1001 }, (_, i) => `id-${i}`), date }).expect(400);
    await api().get('/api/v1/manifests/123').set('authorization', carol).expect(400);
  });
});
