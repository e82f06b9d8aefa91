import { listUnguardedRoutes } from '@app/auth';
import {
  AddressVerifiedV1,
  computeImpbCheckDigit,
  createEnvelope,
  dlqTopic,
  LabelCreatedV1,
  ScanRecordedV1,
  Topics,
  topicName,
} from '@app/contracts';
import { OutboxRelay } from '@app/messaging';
import { createServiceApp } from '@app/platform';
import { collectEvents, produce, provisionKafkaPrefix, waitFor, type EventCollector } from '@app/testing';
import { getConnectionToken } from '@nestjs/mongoose';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Connection } from 'mongoose';
import pino from 'pino';
import request from 'supertest';
import { AppModule, HTTP_ENGINE } from '../src/app.module';
import { loadTrackingConfig } from '../src/config';
import { ParcelOutboxPending } from '../src/parcels/parcel-outbox-pending';

// The project-level testTimeout is not applied by this jest version.
jest.setTimeout(120_000);

const run = randomUUID().slice(0, 8);
const prefix = `e2e-tracking-${run}`;
const topic = (t: string) => topicName(t, prefix);

let serial = 0;
/** A fresh valid IMpb number for this run. */
function newTrackingNumber(): string {
  const body = `9205590${String(Date.now()).slice(-8)}${String(++serial).padStart(6, '0')}`;
  return body + computeImpbCheckDigit(body);
}

const facility = { name: 'DENVER MAIN POST OFFICE', city: 'DENVER', state: 'CO', zip: '80202' };
const scan = (trackingNumber: string, code: string, occurredAt: string, eventId: string = randomUUID()) => ({
  eventId,
  trackingNumber,
  code,
  occurredAt,
  facility,
});
const scanEnvelope = (data: ReturnType<typeof scan>) =>
  createEnvelope({
    id: data.eventId,
    type: ScanRecordedV1.type,
    version: 1,
    key: data.trackingNumber,
    data,
    source: 'e2e',
  });

describe('tracking (real Kafka and FerretDB)', () => {
  let app: NestFastifyApplication;
  let jwks: http.Server;
  let privateKey: KeyLike;
  let trackingEvents: EventCollector<{ id: string; type: string; data: Record<string, unknown> }>;
  let scansDlq: EventCollector;
  let pickupDlq: EventCollector;
  const token = async (sub: string, roles: string[]) =>
    new SignJWT({ roles, username: sub })
      .setProtectedHeader({ alg: 'ES256', kid: 'e2e' })
      .setSubject(sub)
      .setIssuer('postal-portal-auth')
      .setAudience('postal-portal')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);
  const api = () => request(app.getHttpServer());

  beforeAll(async () => {
    const keys = await generateKeyPair('ES256');
    privateKey = keys.privateKey;
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'e2e', alg: 'ES256', use: 'sig' };
    jwks = http.createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const config = loadTrackingConfig({
      ...process.env,
      KAFKA_TOPIC_PREFIX: prefix,
      MONGO_DB: `tracking_${run}`,
      AUTH_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`,
      LOG_LEVEL: 'warn',
    });
    app = await createServiceApp(AppModule.forRoot(config), {
      http: HTTP_ENGINE,
      name: 'tracking',
      port: 0,
      bodyLimit: config.TRACKING_BODY_LIMIT,
      logger: pino({ level: 'silent' }),
    });
    await app.init();
    // The app runs as the admin; the scanner principal gets its ACLs on this prefix like in production.
    await provisionKafkaPrefix(prefix);
    trackingEvents = await collectEvents(topic(Topics.Tracking));
    scansDlq = await collectEvents(dlqTopic(topic(Topics.PostalScans)));
    pickupDlq = await collectEvents(dlqTopic(topic(Topics.Pickup)));
  });

  afterAll(async () => {
    await trackingEvents?.stop();
    await scansDlq?.stop();
    await pickupDlq?.stop();
    await app?.close();
    jwks?.close();
  });

  // Distinct by event id, as every consumer reads them (delivery is at least once, DESIGN "Events"):
  // a write made before the relay's first full pass has marked its pending set complete (as right
  // after this app starts) cannot tell which stored entries are published, and publishes them again.
  const eventsOf = (type: string, trackingNumber: string) => {
    const seen = new Set<string>();
    return trackingEvents.events.filter((e) => {
      if (e.value.type !== type || e.value.data.trackingNumber !== trackingNumber || seen.has(e.value.id)) return false;
      seen.add(e.value.id);
      return true;
    });
  };

  it('guards every route or marks it public', () => {
    expect(listUnguardedRoutes(app)).toEqual([]);
  });

  it('follows a labelled parcel from pre_shipment through HTTP and Kafka scans to available_for_pickup', async () => {
    const tn = newTrackingNumber();
    const to = { name: 'ALAN TURING', line1: '2 ELM ST', city: 'DENVER', state: 'CO', zip: '80202' };
    await produce(topic(Topics.Identity), [
      {
        key: 'addressee-1',
        value: createEnvelope({
          type: AddressVerifiedV1.type,
          version: 1,
          key: 'addressee-1',
          source: 'e2e',
          data: { userId: 'addressee-1', addressId: 'adr-1', address: to },
        }),
      },
    ]);
    await produce(topic(Topics.Pickup), [
      {
        key: tn,
        value: createEnvelope({
          type: LabelCreatedV1.type,
          version: 1,
          key: tn,
          source: 'e2e',
          data: { ...LabelCreatedV1.example, trackingNumber: tn, userId: 'owner-1', to },
        }),
      },
    ]);
    const pre = await waitFor(
      async () => {
        const res = await api().get(`/api/v1/tracking/${tn}`);
        return res.status === 200 ? res : undefined;
      },
      { timeoutMs: 30_000, description: 'the labelled parcel' },
    );
    expect(pre.body).toMatchObject({
      trackingNumber: tn,
      statusCategory: 'pre_shipment',
      expectedDelivery: '2025-05-05',
    });

    const owner = await token('owner-1', ['customer']);
    const watchlist = await api().get('/api/v1/tracking/watchlist').set('Authorization', `Bearer ${owner}`);
    expect(watchlist.body.items).toEqual([
      expect.objectContaining({ trackingNumber: tn, statusCategory: 'pre_shipment', status: expect.any(String) }),
    ]);

    const scanner = await token('scanner-key', ['scanner']);
    const accepted = scan(tn, 'accepted', '2025-05-01T17:00:00Z');
    const res = await api()
      .post('/api/v1/scans')
      .set('Authorization', `Bearer ${scanner}`)
      .send({ events: [accepted] });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 1, rejected: [] });
    await trackingEvents.waitFor((e) => e.value.type === 'ParcelStatusChanged' && e.value.data.trackingNumber === tn);

    // Kafka: a newer scan, then an older one arriving late, then the newer one again.
    const transit = scan(tn, 'in_transit', '2025-05-02T08:00:00Z');
    await produce(topic(Topics.PostalScans), [
      { key: tn, value: scanEnvelope(transit) },
      { key: tn, value: scanEnvelope(scan(tn, 'processed', '2025-05-01T20:00:00Z')) },
      { key: tn, value: scanEnvelope(transit) },
    ]);
    const moved = await waitFor(
      async () => {
        const r = await api().get(`/api/v1/tracking/${tn}`);
        return r.body.events?.length === 4 ? r : undefined;
      },
      { timeoutMs: 30_000, description: 'three scans applied' },
    );
    expect(moved.body.statusCategory).toBe('in_transit');
    expect((moved.body.events as { code: string }[]).map((e) => e.code)).toEqual([
      'in_transit',
      'processed',
      'accepted',
      'label_created',
    ]);
    expect(moved.body.events[0].description).toBe('In transit to the next facility');

    const arrivedScan = scan(tn, 'available_for_pickup', '2025-05-03T09:30:00Z');
    for (let i = 0; i < 2; i++) {
      await api()
        .post('/api/v1/scans')
        .set('Authorization', `Bearer ${scanner}`)
        .send({ events: [arrivedScan] })
        .expect(202);
    }
    const arrived = await trackingEvents.waitFor(
      (e) => e.value.type === 'ParcelArrived' && e.value.data.trackingNumber === tn,
      { timeoutMs: 30_000 },
    );
    expect(arrived.key).toBe(tn);
    expect(arrived.value.data).toEqual({
      trackingNumber: tn,
      facility,
      holdUntil: '2025-05-18T09:30:00.000Z',
      occurredAt: '2025-05-03T09:30:00.000Z',
      recipients: [
        { userId: 'owner-1', reason: 'watcher' },
        { userId: 'addressee-1', reason: 'addressee' },
      ],
    });
    // A later scan proves both copies of the repeated one were consumed before we count.
    await produce(topic(Topics.PostalScans), [
      { key: tn, value: scanEnvelope(scan(tn, 'delivered', '2025-05-04T10:00:00Z')) },
    ]);
    await trackingEvents.waitFor((e) => e.value.type === 'ParcelDelivered' && e.value.data.trackingNumber === tn, {
      timeoutMs: 30_000,
    });
    expect(eventsOf('ParcelArrived', tn)).toHaveLength(1);
    expect(eventsOf('ParcelStatusChanged', tn).map((e) => e.value.data.statusCategory)).toEqual([
      'accepted',
      'in_transit',
      'available_for_pickup',
      'delivered',
    ]);

    const addressee = await token('addressee-1', ['customer']);
    const incoming = await api().get('/api/v1/tracking/incoming').set('Authorization', `Bearer ${addressee}`);
    expect(incoming.status).toBe(200);
    expect((incoming.body.items as { trackingNumber: string }[]).map((p) => p.trackingNumber)).toContain(tn);
  });

  it('tells apart two units at one street address', async () => {
    const street = { line1: '40 Birch Ave', city: 'DENVER', state: 'CO', zip: '80202' };
    const apt1 = `apt1-${run}`;
    const apt2 = `apt2-${run}`;
    const verified = (userId: string, line2: string) => ({
      key: userId,
      value: createEnvelope({
        type: AddressVerifiedV1.type,
        version: 1,
        key: userId,
        source: 'e2e',
        data: { userId, addressId: `adr-${userId}`, address: { ...street, name: userId, line2 } },
      }),
    });
    const label = (tn: string, line2: string) => ({
      key: tn,
      value: createEnvelope({
        type: LabelCreatedV1.type,
        version: 1,
        key: tn,
        source: 'e2e',
        data: { ...LabelCreatedV1.example, trackingNumber: tn, userId: `sender-${run}`, to: { ...street, line2 } },
      }),
    });
    const incomingOf = async (userId: string) => {
      const res = await api()
        .get('/api/v1/tracking/incoming')
        .set('Authorization', `Bearer ${await token(userId, ['customer'])}`)
        .expect(200);
      return (res.body.items as { trackingNumber: string }[]).map((p) => p.trackingNumber);
    };
    const toUnit1 = newTrackingNumber();
    const toUnit2 = newTrackingNumber();
    await produce(topic(Topics.Identity), [verified(apt1, 'APT 1'), verified(apt2, 'Apt. 2')]);
    await produce(topic(Topics.Pickup), [label(toUnit1, 'Unit 1'), label(toUnit2, '#2')]);
    // Each user sees the parcel to their own unit: both projections and both labels are applied.
    await waitFor(async () => ((await incomingOf(apt1)).includes(toUnit1) ? true : undefined), {
      timeoutMs: 30_000,
      description: 'the parcel to unit 1 as incoming',
    });
    await waitFor(async () => ((await incomingOf(apt2)).includes(toUnit2) ? true : undefined), {
      timeoutMs: 30_000,
      description: 'the parcel to unit 2 as incoming',
    });
    expect(await incomingOf(apt1)).not.toContain(toUnit2);
    expect(await incomingOf(apt2)).not.toContain(toUnit1);

    const scanner = await token('scanner-key', ['scanner']);
    await api()
      .post('/api/v1/scans')
      .set('Authorization', `Bearer ${scanner}`)
      .send({ events: [scan(toUnit2, 'available_for_pickup', '2025-05-03T09:30:00Z')] })
      .expect(202);
    const arrived = await trackingEvents.waitFor(
      (e) => e.value.type === 'ParcelArrived' && e.value.data.trackingNumber === toUnit2,
      { timeoutMs: 30_000 },
    );
    expect(arrived.value.data.recipients).toEqual([
      { userId: `sender-${run}`, reason: 'watcher' },
      { userId: apt2, reason: 'addressee' },
    ]);
  });

  it('answers with the new status right after this instance applies a scan, not a cached one', async () => {
    const tn = newTrackingNumber();
    const scanner = await token('scanner-key', ['scanner']);
    const post = (code: string, occurredAt: string) =>
      api()
        .post('/api/v1/scans')
        .set('Authorization', `Bearer ${scanner}`)
        .send({ events: [scan(tn, code, occurredAt)] })
        .expect(202);
    await post('accepted', '2025-05-01T17:00:00Z');
    await trackingEvents.waitFor((e) => e.value.type === 'ParcelStatusChanged' && e.value.data.trackingNumber === tn);
    // Cached for a second from here on, unless the write below forgets it.
    const first = await api().get(`/api/v1/tracking/${tn}`).expect(200);
    expect(first.body.statusCategory).toBe('accepted');
    expect(first.headers['cache-control']).toBe('public, no-cache');
    await api().get(`/api/v1/tracking/${tn}`).set('if-none-match', first.headers.etag).expect(304);
    await post('in_transit', '2025-05-02T08:00:00Z');
    await trackingEvents.waitFor(
      (e) =>
        e.value.type === 'ParcelStatusChanged' &&
        e.value.data.statusCategory === 'in_transit' &&
        e.value.data.trackingNumber === tn,
    );
    expect((await api().get(`/api/v1/tracking/${tn}`).expect(200)).body.statusCategory).toBe('in_transit');
  });

  it('publishes ParcelAlert with the recipients for a delivery_attempted scan', async () => {
    const tn = newTrackingNumber();
    const sender = `alert-sender-${run}`;
    const watcher = `alert-watcher-${run}`;
    const addressee = `alert-addressee-${run}`;
    const to = { name: 'GRACE HOPPER', line1: '77 Alert Rd', city: 'DENVER', state: 'CO', zip: '80202' };
    await produce(topic(Topics.Identity), [
      {
        key: addressee,
        value: createEnvelope({
          type: AddressVerifiedV1.type,
          version: 1,
          key: addressee,
          source: 'e2e',
          data: { userId: addressee, addressId: 'adr-alert', address: to },
        }),
      },
    ]);
    await produce(topic(Topics.Pickup), [
      {
        key: tn,
        value: createEnvelope({
          type: LabelCreatedV1.type,
          version: 1,
          key: tn,
          source: 'e2e',
          data: { ...LabelCreatedV1.example, trackingNumber: tn, userId: sender, to },
        }),
      },
    ]);
    // Listed as incoming once both the label and the verified address are applied.
    const addresseeToken = await token(addressee, ['customer']);
    await waitFor(
      async () => {
        const res = await api().get('/api/v1/tracking/incoming').set('Authorization', `Bearer ${addresseeToken}`);
        return (res.body.items as { trackingNumber: string }[] | undefined)?.some((p) => p.trackingNumber === tn);
      },
      { timeoutMs: 30_000, description: 'the labelled parcel as incoming' },
    );
    await api()
      .post('/api/v1/tracking/watchlist')
      .set('Authorization', `Bearer ${await token(watcher, ['customer'])}`)
      .send({ trackingNumber: tn })
      .expect(201);
    const attempted = scan(tn, 'delivery_attempted', '2025-05-04T11:00:00Z');
    await produce(topic(Topics.PostalScans), [{ key: tn, value: scanEnvelope(attempted) }]);
    const alert = await trackingEvents.waitFor(
      (e) => e.value.type === 'ParcelAlert' && e.value.data.trackingNumber === tn,
      { timeoutMs: 30_000 },
    );
    expect(alert.key).toBe(tn);
    expect(alert.value.data).toEqual({
      trackingNumber: tn,
      code: 'delivery_attempted',
      description: expect.any(String),
      occurredAt: '2025-05-04T11:00:00.000Z',
      location: { city: facility.city, state: facility.state, zip: facility.zip },
      recipients: [
        { userId: sender, reason: 'watcher' },
        { userId: watcher, reason: 'watcher' },
        { userId: addressee, reason: 'addressee' },
      ],
    });
  });

  it('reports the bad events of an HTTP batch by index with a reason', async () => {
    const tn = newTrackingNumber();
    const scanner = await token('scanner-key', ['scanner']);
    const future = new Date(Date.now() + 60 * 60 * 1000).toISOString();
    const res = await api()
      .post('/api/v1/scans')
      .set('Authorization', `Bearer ${scanner}`)
      .send({
        events: [
          scan(tn, 'accepted', '2025-05-01T17:00:00Z'),
          scan(tn, 'teleported', '2025-05-01T17:00:00Z'),
          scan(tn.slice(0, -1) + ((Number(tn.at(-1)) + 1) % 10), 'accepted', '2025-05-01T17:00:00Z'),
          scan(tn, 'accepted', future),
          { ...scan(tn, 'accepted', '2025-05-01T17:00:00Z'), facility: { name: 'X' } },
        ],
      });
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(1);
    expect((res.body.rejected as { index: number }[]).map((r) => r.index)).toEqual([1, 2, 3, 4]);
    expect(res.body.rejected[1].reason).toContain('wrong check digit');
    expect(res.body.rejected[2].reason).toContain('future');
  });

  it('refuses scans from a caller without the scanner role and oversized batches', async () => {
    const customer = await token('someone', ['customer']);
    await api().post('/api/v1/scans').set('Authorization', `Bearer ${customer}`).send({ events: [] }).expect(403);
    const scanner = await token('scanner-key', ['scanner']);
    const tooMany = Array.from({ length: 1001 }, () => scan(newTrackingNumber(), 'accepted', '2025-05-01T17:00:00Z'));
    const res = await api().post('/api/v1/scans').set('Authorization', `Bearer ${scanner}`).send({ events: tooMany });
    expect(res.status).toBe(400);
  });

  it('sends malformed Kafka scans to the DLQ with the reason and carries on', async () => {
    await produce(topic(Topics.PostalScans), [
      { key: 'junk', value: 'not json' },
      { key: 'bad', value: scanEnvelope(scan('9212391234567812345671', 'accepted', '2025-05-01T17:00:00Z')) },
    ]);
    await waitFor(() => (scansDlq.events.length >= 2 ? true : undefined), { timeoutMs: 30_000, description: 'DLQ' });
    const reasons = scansDlq.events.map((e) => e.headers['x-dlq-reason'] ?? '');
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringContaining('unparseable JSON'),
        expect.stringContaining('wrong check digit'),
      ]),
    );
  });

  it('dead-letters an identity event forged onto postal.scans, without effect, and applies the scan after it', async () => {
    const tn = newTrackingNumber();
    const forger = `forger-${run}`;
    const to = { name: 'ADA LOVELACE', line1: '9 Forge Ln', city: 'DENVER', state: 'CO', zip: '80202' };
    await produce(topic(Topics.Pickup), [
      {
        key: tn,
        value: createEnvelope({
          type: LabelCreatedV1.type,
          version: 1,
          key: tn,
          source: 'e2e',
          data: { ...LabelCreatedV1.example, trackingNumber: tn, userId: `forge-sender-${run}`, to },
        }),
      },
    ]);
    await waitFor(async () => ((await api().get(`/api/v1/tracking/${tn}`)).status === 200 ? true : undefined), {
      timeoutMs: 30_000,
      description: 'the labelled parcel',
    });
    // What a scanner's credentials could write: a valid identity event claiming the addressee's address.
    const forged = createEnvelope({
      type: AddressVerifiedV1.type,
      version: 1,
      key: tn,
      source: 'scanner',
      data: { userId: forger, addressId: 'adr-forged', address: to },
    });
    // One key, one partition: the good scan is read after the forged event. Written as the scanners'
    // principal, which may write postal.scans and nothing else.
    await produce(
      topic(Topics.PostalScans),
      [
        { key: tn, value: forged },
        { key: tn, value: scanEnvelope(scan(tn, 'accepted', '2025-05-01T17:00:00Z')) },
      ],
      { principal: 'scanner' },
    );
    const dead = await scansDlq.waitFor((e) => (e.value as { id?: string }).id === forged.id, { timeoutMs: 30_000 });
    expect(dead.headers['x-dlq-reason']).toBe(
      'event type AddressVerified v1 does not belong to topic postal.scans (its contract is on identity.events)',
    );
    expect(dead.headers['x-original-topic']).toBe(topic(Topics.PostalScans));
    const scanned = await waitFor(
      async () => {
        const res = await api().get(`/api/v1/tracking/${tn}`);
        return res.body.statusCategory === 'accepted' ? res : undefined;
      },
      { timeoutMs: 30_000, description: 'the scan after the forged event applied' },
    );
    expect((scanned.body.events as { code: string }[]).map((e) => e.code)).toEqual(['accepted', 'label_created']);
    // Had it been applied, the forger would now see the parcel addressed to that address as incoming.
    const incoming = await api()
      .get('/api/v1/tracking/incoming')
      .set('Authorization', `Bearer ${await token(forger, ['customer'])}`)
      .expect(200);
    expect(incoming.body.items).toEqual([]);
  });

  it('sends a malformed LabelCreated to the DLQ with the reason and applies the next label', async () => {
    const good = newTrackingNumber();
    const wrongDigit = good.slice(0, -1) + ((Number(good.at(-1)) + 1) % 10);
    const label = (data: Record<string, unknown>) =>
      createEnvelope({
        type: LabelCreatedV1.type,
        version: 1,
        key: good,
        source: 'e2e',
        data: { ...LabelCreatedV1.example, trackingNumber: good, userId: `labeller-${run}`, ...data },
      });
    // One key, so all three sit on one partition in this order: the bad ones must not block the good one.
    await produce(topic(Topics.Pickup), [
      { key: good, value: label({ trackingNumber: wrongDigit }) },
      { key: good, value: label({ createdAt: 'not a date' }) },
      { key: good, value: label({}) },
    ]);
    const found = await waitFor(
      async () => {
        const res = await api().get(`/api/v1/tracking/${good}`);
        return res.status === 200 ? res : undefined;
      },
      { timeoutMs: 30_000, description: 'the good label applied' },
    );
    expect(found.body.statusCategory).toBe('pre_shipment');
    await waitFor(() => (pickupDlq.events.length >= 2 ? true : undefined), { timeoutMs: 30_000, description: 'DLQ' });
    const reasons = pickupDlq.events.map((e) => e.headers['x-dlq-reason'] ?? '');
    expect(reasons).toEqual([expect.stringContaining('wrong check digit'), expect.stringContaining('createdAt')]);
    await api().get(`/api/v1/tracking/${wrongDigit}`).expect(400);
  });

  it('answers 400 for malformed numbers, 404 for unknown ones and caps multi-lookups at 35', async () => {
    const bad = await api().get('/api/v1/tracking/9212391234567812345671');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('wrong check digit');
    // Only a view may be kept by a cache (`public, no-cache`); a refusal stays `no-store`.
    expect(bad.headers['cache-control']).toBe('no-store');
    await api().get('/api/v1/tracking/hello').expect(400);
    const unknown = await api().get(`/api/v1/tracking/${newTrackingNumber()}`).expect(404);
    expect(unknown.headers['cache-control']).toBe('no-store');
    const many = Array.from({ length: 36 }, () => newTrackingNumber()).join(',');
    await api().get(`/api/v1/tracking?numbers=${many}`).expect(400);
    const multi = await api().get(`/api/v1/tracking?numbers=EA123456785US,nope`).expect(200);
    expect(multi.headers['cache-control']).toBe('no-store');
    expect(multi.body.results).toEqual([
      { trackingNumber: 'EA123456785US', found: false },
      { trackingNumber: 'nope', found: false, error: expect.any(String) },
    ]);
  });

  it("never shows another user's watchlist", async () => {
    const alice = await token('alice', ['customer']);
    const bob = await token('bob', ['customer']);
    const tn = newTrackingNumber();
    const added = await api()
      .post('/api/v1/tracking/watchlist')
      .set('Authorization', `Bearer ${alice}`)
      .send({ trackingNumber: tn, nickname: 'gift' });
    expect(added.status).toBe(201);
    const aliceList = await api().get('/api/v1/tracking/watchlist').set('Authorization', `Bearer ${alice}`);
    expect(aliceList.body.items).toEqual([
      expect.objectContaining({ trackingNumber: tn, nickname: 'gift', found: false, status: null }),
    ]);
    const bobList = await api().get('/api/v1/tracking/watchlist').set('Authorization', `Bearer ${bob}`);
    expect(bobList.body).toEqual({ items: [], nextCursor: null });
    await api().delete(`/api/v1/tracking/watchlist/${tn}`).set('Authorization', `Bearer ${bob}`).expect(404);
    await api().get('/api/v1/tracking/watchlist').expect(401);
    await api()
      .post('/api/v1/tracking/watchlist')
      .set('Authorization', `Bearer ${alice}`)
      .send({ trackingNumber: 'EA123456784US' })
      .expect(400);
    await api().delete(`/api/v1/tracking/watchlist/${tn}`).set('Authorization', `Bearer ${alice}`).expect(204);
  });

  describe('published outbox entries, pruned by the next write', () => {
    type Stored = { outbox: { id: string; type: string }[]; outboxUnmarked?: boolean };
    const parcels = () => app.get<Connection>(getConnectionToken()).collection<Stored>('parcels');
    const stored = async (tn: string) => (await parcels().findOne({ _id: tn } as never)) as Stored;
    const isMember = async (tn: string) => (await app.get(ParcelOutboxPending).membership([tn])).members[0];
    const copiesOf = (id: string) => trackingEvents.events.filter((e) => (e.value as { id?: string }).id === id).length;
    /** Posts one scan through HTTP and waits until its ParcelStatusChanged is out and the parcel left the pending set. */
    async function applyScan(tn: string, code: string, occurredAt: string): Promise<void> {
      await api()
        .post('/api/v1/scans')
        .set('Authorization', `Bearer ${await token('scanner-key', ['scanner'])}`)
        .send({ events: [scan(tn, code, occurredAt)] })
        .expect(202);
      await trackingEvents.waitFor(
        (e) =>
          e.value.type === 'ParcelStatusChanged' && e.value.data.trackingNumber === tn && e.value.data.code === code,
        { timeoutMs: 30_000 },
      );
      await waitFor(async () => ((await isMember(tn)) ? undefined : true), {
        timeoutMs: 10_000,
        description: 'the parcel out of the pending set',
      });
    }

    beforeAll(async () => {
      // The first pass makes the pending set complete (the next write drops only while it is).
      await app.get(OutboxRelay).sweep();
      expect((await app.get(ParcelOutboxPending).membership([])).complete).toBe(true);
    });

    it('keeps a published entry in the parcel until its next write, which drops it without publishing it again', async () => {
      const tn = newTrackingNumber();
      await applyScan(tn, 'accepted', '2025-06-01T10:00:00Z');
      const [first] = (await stored(tn)).outbox;
      expect(first.type).toBe('ParcelStatusChanged');
      expect(copiesOf(first.id)).toBe(1);

      await applyScan(tn, 'in_transit', '2025-06-02T10:00:00Z');
      const after = (await stored(tn)).outbox;
      expect(after.map((e) => e.id)).not.toContain(first.id);
      expect(after.map((e) => e.type)).toContain('ParcelStatusChanged');
      expect(copiesOf(first.id)).toBe(1);
    });

    it('keeps and publishes again the entries of a parcel still in the pending set (a crash before its flush)', async () => {
      const tn = newTrackingNumber();
      await applyScan(tn, 'accepted', '2025-06-01T10:00:00Z');
      const [first] = (await stored(tn)).outbox;
      // What a crash between the write and the flush leaves: the parcel still a member.
      await app.get(ParcelOutboxPending).add([tn]);

      await applyScan(tn, 'in_transit', '2025-06-02T10:00:00Z');
      expect((await stored(tn)).outbox.map((e) => e.id)).toContain(first.id);
      await waitFor(() => (copiesOf(first.id) === 2 ? true : undefined), {
        timeoutMs: 30_000,
        description: 'the kept entry published again',
      });
      expect(await isMember(tn)).toBe(false);
    });

    it('does not publish the published entries again in the full pass of a complete set, only a flagged parcel', async () => {
      const quiet = newTrackingNumber();
      await applyScan(quiet, 'accepted', '2025-06-01T10:00:00Z');
      const [published] = (await stored(quiet)).outbox;
      const flagged = newTrackingNumber();
      await applyScan(flagged, 'accepted', '2025-06-01T10:00:00Z');
      const [unmarked] = (await stored(flagged)).outbox;
      // As a write Redis refused to mark leaves it.
      await parcels().updateOne({ _id: flagged } as never, { $set: { outboxUnmarked: true } });

      // Past the sweep's minimum age (sweepMinAgeMs, 2 s), which leaves young entries to their flush.
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      // One event: the flagged parcel's, not those every other parcel still holds.
      await expect(app.get(OutboxRelay).sweep({ full: true })).resolves.toEqual({ published: 1, more: false });
      await waitFor(() => (copiesOf(unmarked.id) === 2 ? true : undefined), {
        timeoutMs: 30_000,
        description: 'the flagged parcel published again',
      });
      expect((await stored(flagged)).outboxUnmarked).toBeUndefined();
      expect(copiesOf(published.id)).toBe(1);
      expect((await stored(quiet)).outbox.map((e) => e.id)).toEqual([published.id]);

      const view = await api().get(`/api/v1/tracking/${flagged}`).expect(200);
      expect(JSON.stringify(view.body)).not.toMatch(/outbox/i);
    });
  });

  it('measures ingest throughput from postal.scans', async () => {
    const numbers = Array.from({ length: 500 }, () => newTrackingNumber());
    const messages = numbers.flatMap((tn) =>
      ['accepted', 'processed', 'in_transit', 'out_for_delivery'].map((code, i) => ({
        key: tn,
        value: scanEnvelope(scan(tn, code, `2025-05-0${i + 1}T10:00:00Z`)),
      })),
    );
    const connection = app.get<Connection>(getConnectionToken());
    const started = Date.now();
    await produce(topic(Topics.PostalScans), messages);
    await waitFor(
      async () => {
        const done = await connection
          .collection('parcels')
          .countDocuments({ _id: { $in: numbers }, status: 'out_for_delivery' } as never);
        return done === numbers.length ? true : undefined;
      },
      { timeoutMs: 110_000, intervalMs: 250, description: 'all scans applied' },
    );
    const seconds = (Date.now() - started) / 1000;
    const rate = Math.round(messages.length / seconds);
    process.stdout.write(`ingest: ${messages.length} scans in ${seconds.toFixed(1)} s = ${rate} events/s\n`);
    expect(rate).toBeGreaterThan(0);
  });
});
