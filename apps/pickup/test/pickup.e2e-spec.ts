import { listUnguardedRoutes } from '@app/auth';
import { randomUUID } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkTrackingNumber, createEnvelope, ParcelStatusChangedV1, Topics, topicName } from '@app/contracts';
import { createServiceApp, Clock, RedisConnection } from '@app/platform';
import { collectEvents, produce, waitFor, type EventCollector } from '@app/testing';
import { getConnectionToken } from '@nestjs/mongoose';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Connection } from 'mongoose';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import pino from 'pino';
import request from 'supertest';
import { AppModule } from '../src/app.module';
import { buildImpbPic, MAX_IMPB_SERIAL } from '../src/labels/impb';
import { LabelsRepository } from '../src/labels/labels.repository';
import { SerialAllocator } from '../src/labels/serial-allocator';
import { SerialPermutation } from '../src/labels/serial-permutation';
import { SerialReservationsRepository } from '../src/labels/serial-reservations.repository';
import { loadPickupConfig, PICKUP_CONFIG } from '../src/config';
import { PickupsRepository } from '../src/pickups/pickups.repository';
import { PickupsService } from '../src/pickups/pickups.service';

jest.setTimeout(120_000);

const run = randomUUID().slice(0, 8);
const prefix = `e2e-pickup-${run}`;
const topic = (t: string) => topicName(t, prefix);

// Wednesday 2025-05-07, 10:00 in Chicago
const NOW = new Date('2025-05-07T15:00:00Z');
const DAY_MS = 86_400_000;

/** Stripe's test Visa card: stripe-mock (from the test stack) approves every charge. */
const card = { method: 'card', paymentMethodId: 'pm_card_visa' };
const ada = { name: 'ADA LOVELACE', line1: '1 MAIN ST', city: 'CHICAGO', state: 'IL', zip: '60601' };
const alan = { name: 'ALAN TURING', line1: '2 ELM ST', city: 'DENVER', state: 'CO', zip: '80202' };
const bookAddress = {
  id: 'adr-1',
  name: 'GRACE HOPPER',
  line1: '3 OAK AVE',
  city: 'ARLINGTON',
  state: 'VA',
  zip: '22201',
};

const pickupBody = (overrides: Record<string, unknown> = {}) => ({
  address: ada,
  date: '2025-05-08',
  packageLocation: 'front_door',
  packages: { priorityExpress: 0, priority: 1, groundAdvantage: 0, returns: 0, international: 0, other: 0 },
  estimatedWeightLb: 3,
  contact: { email: 'ada@example.com' },
  ...overrides,
});

/** The text shown by a pdfkit document: its deflated content streams' hex strings, one TJ array per line. */
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const lines: string[] = [];
  for (const match of raw.matchAll(/stream\r?\n/g)) {
    const start = (match.index ?? 0) + match[0].length;
    const end = raw.indexOf('endstream', start);
    let content: string;
    try {
      content = inflateSync(pdf.subarray(start, end)).toString('latin1');
    } catch {
      continue;
    }
    for (const tj of content.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      const hex = [...tj[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]).join('');
      lines.push(Buffer.from(hex, 'hex').toString('latin1'));
    }
  }
  return lines.join('\n');
}

type PickupEvent = { type: string; key: string; data: Record<string, unknown> };

describe('pickup service (real Kafka, FerretDB, Redis)', () => {
  let app: NestExpressApplication;
  let fakeAuth: http.Server;
  let privateKey: KeyLike;
  let now: Date;
  let pickupEvents: EventCollector<PickupEvent>;
  let alice: string;
  let bob: string;

  const token = (sub: string) =>
    new SignJWT({ roles: ['customer'], username: sub })
      .setProtectedHeader({ alg: 'ES256', kid: 'e2e' })
      .setSubject(sub)
      .setIssuer('postal-portal-auth')
      .setAudience('postal-portal')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
  const api = () => request(app.getHttpServer());
  const label = (auth: string, body: Record<string, unknown> = {}) =>
    api()
      .post('/api/v1/labels')
      .set('authorization', auth)
      .send({ from: ada, to: alan, weightOz: 20, service: 'priority', payment: card, ...body });
  const accept = (trackingNumber: string, eventId = randomUUID()) =>
    produce(topic(Topics.Tracking), [
      {
        key: trackingNumber,
        value: createEnvelope({
          id: eventId,
          type: ParcelStatusChangedV1.type,
          version: 1,
          key: trackingNumber,
          source: 'e2e',
          data: {
            ...ParcelStatusChangedV1.example,
            trackingNumber,
            previousCategory: 'pre_shipment',
            statusCategory: 'accepted',
            code: 'accepted',
            occurredAt: now.toISOString(),
          },
        }),
      },
    ]);

  beforeAll(async () => {
    const keys = await generateKeyPair('ES256');
    privateKey = keys.privateKey;
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'e2e', alg: 'ES256', use: 'sig' };
    // Stands in for the auth service: its JWKS and one user's address book.
    fakeAuth = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/.well-known/jwks.json') return res.end(JSON.stringify({ keys: [jwk] }));
      if (req.url === '/api/v1/me/addresses/adr-1' && req.headers.authorization === alice) {
        return res.end(JSON.stringify(bookAddress));
      }
      res.statusCode = 404;
      res.end(JSON.stringify({ statusCode: 404, message: 'not found' }));
    });
    await new Promise<void>((resolve) => fakeAuth.listen(0, '127.0.0.1', resolve));
    const config = loadPickupConfig({
      ...process.env,
      KAFKA_TOPIC_PREFIX: prefix,
      MONGO_DB: `pickup_${run}`,
      REDIS_PREFIX: `${prefix}:`,
      AUTH_URL: `http://127.0.0.1:${(fakeAuth.address() as AddressInfo).port}`,
      PICKUP_MISSED_SWEEP_MS: '0',
      LOG_LEVEL: 'warn',
    });
    app = await createServiceApp(AppModule.forRoot(config), {
      name: 'pickup',
      port: 0,
      bodyLimit: config.PICKUP_BODY_LIMIT,
      logger: pino({ level: 'silent' }),
    });
    now = NOW;
    jest.spyOn(app.get(Clock), 'now').mockImplementation(() => now);
    await app.init();
    pickupEvents = await collectEvents<PickupEvent>(topic(Topics.Pickup));
    alice = `Bearer ${await token(`alice-${run}`)}`;
    bob = `Bearer ${await token(`bob-${run}`)}`;
  });

  afterAll(async () => {
    await pickupEvents?.stop();
    await app?.close();
    fakeAuth?.close();
  });

  beforeEach(() => {
    now = NOW;
  });

  it('guards every route or marks it public', () => {
    expect(listUnguardedRoutes(app)).toEqual([]);
  });

  it('documents the fields of the nested pickup bodies in its OpenAPI document', async () => {
    const doc = (await api().get('/docs-json').expect(200)).body as {
      components: { schemas: Record<string, { properties?: Record<string, Record<string, unknown>> }> };
    };
    const schemas = doc.components.schemas;
    expect(Object.keys(schemas.PackageCountsDto.properties ?? {}).sort()).toEqual(
      ['groundAdvantage', 'international', 'other', 'priority', 'priorityExpress', 'returns'].sort(),
    );
    expect(Object.keys(schemas.ContactDto.properties ?? {}).sort()).toEqual(['email', 'phone']);
    expect(schemas.CreatePickupDto.properties?.estimatedWeightLb).toMatchObject({
      minimum: 0,
      exclusiveMinimum: true,
    });
  });

  it("indexes every owner's list (labels, pickups, orders) by user and newest first", async () => {
    const connection = app.get<Connection>(getConnectionToken());
    for (const model of ['Label', 'Pickup', 'Order']) {
      await connection.model(model).init();
      const indexes = await connection.model(model).listIndexes();
      expect({ model, keys: indexes.map((i) => i.key as Record<string, number>) }).toEqual({
        model,
        keys: expect.arrayContaining([{ userId: 1, createdAt: -1, _id: -1 }]),
      });
    }
  });

  describe('quotes', () => {
    it('quotes every service publicly, with prices rising with zone and weight', async () => {
      const quote = async (toZip: string, weightOz: number) => {
        const res = await api().post('/api/v1/labels/quote').send({ fromZip: '60601', toZip, weightOz }).expect(200);
        return res.body.quotes as { service: string; priceCents: number; zone: number; deliveryDays: number }[];
      };
      const near = await quote('60614', 16);
      expect(near.map((q) => q.service)).toEqual(['priority_express', 'priority', 'ground_advantage']);
      const far = await quote('90210', 16);
      const heavy = await quote('90210', 400);
      expect(near[0].zone).toBe(1);
      expect(far[0].zone).toBeGreaterThanOrEqual(7);
      for (let i = 0; i < 3; i++) {
        expect(far[i].priceCents).toBeGreaterThan(near[i].priceCents);
        expect(heavy[i].priceCents).toBeGreaterThan(far[i].priceCents);
      }
    });

    it('quotes one service when asked', async () => {
      const res = await api()
        .post('/api/v1/labels/quote')
        .send({ fromZip: '60601', toZip: '80202', weightOz: 10, service: 'ground_advantage' })
        .expect(200);
      expect(res.body.quotes).toHaveLength(1);
      expect(res.body.quotes[0]).toMatchObject({ service: 'ground_advantage', zone: expect.any(Number) });
    });

    it.each([
      [{ fromZip: '99999', toZip: '80202', weightOz: 10 }, /not a known US ZIP/],
      [{ fromZip: '60601', toZip: '80202', weightOz: 1121 }, /weightOz/],
      [{ fromZip: '60601', toZip: '80202', weightOz: 0 }, /weightOz/],
      [{ fromZip: '60601', toZip: '80202', weightOz: 10, lengthIn: 10 }, /all of lengthIn/],
      [{ fromZip: '60601', toZip: '80202', weightOz: 10, lengthIn: 60, widthIn: 20, heightIn: 20 }, /girth/],
      [{ fromZip: '60601', toZip: '80202', weightOz: 10, service: 'teleport' }, /service/],
      [{ fromZip: '60601', toZip: '80202', weightOz: '10; drop' }, /weightOz/],
      [{ fromZip: '60601', toZip: '80202', weightOz: 10, $where: '1' }, /should not exist/],
    ])('refuses a bad quote %j with a 400 and the reason', async (body, reason) => {
      const res = await api().post('/api/v1/labels/quote').send(body).expect(400);
      expect(JSON.stringify(res.body.message)).toMatch(reason);
    });
  });

  describe('labels', () => {
    it('needs a token', async () => {
      await api().post('/api/v1/labels').send({ from: ada, to: alan, weightOz: 20, service: 'priority' }).expect(401);
    });

    it('creates a label with a valid, unique IMpb number and publishes LabelCreated', async () => {
      const res = await label(alice).expect(201);
      expect(res.body).toMatchObject({
        service: 'priority',
        zone: expect.any(Number),
        deliveryDays: expect.any(Number),
      });
      expect(res.body.trackingNumber).toMatch(/^94001\d{17}$/);
      expect(checkTrackingNumber(res.body.trackingNumber).valid).toBe(true);
      const event = await pickupEvents.waitFor(
        (e) => e.value.type === 'LabelCreated' && e.value.data.trackingNumber === res.body.trackingNumber,
      );
      expect(event.key).toBe(res.body.trackingNumber);
      expect(event.value.data).toMatchObject({ labelId: res.body.labelId, userId: `alice-${run}`, to: alan });
    });

    it('gives unique numbers across many labels created at once', async () => {
      const results = await Promise.all(
        Array.from({ length: 30 }, () => label(alice, { service: 'ground_advantage' })),
      );
      const numbers = results.map((r) => r.body.trackingNumber as string);
      expect(results.every((r) => r.status === 201)).toBe(true);
      expect(new Set(numbers).size).toBe(30);
      expect(numbers.every((n) => checkTrackingNumber(n).valid)).toBe(true);
    });

    it("resolves a from address from the caller's address book and refuses another's id", async () => {
      const res = await label(alice, { from: undefined, fromAddressId: 'adr-1' }).expect(201);
      const shown = await api().get(`/api/v1/labels/${res.body.labelId}`).set('authorization', alice).expect(200);
      expect(shown.body.from).toMatchObject({ name: 'GRACE HOPPER', zip: '22201' });
      const refused = await label(bob, { from: undefined, fromAddressId: 'adr-1' }).expect(400);
      expect(refused.body.message).toMatch(/not in your address book/);
    });

    it('renders a 4x6 PDF with both addresses, the service and the IMpb barcode', async () => {
      const created = await label(alice).expect(201);
      const res = await api()
        .get(`/api/v1/labels/${created.body.labelId}/pdf`)
        .set('authorization', alice)
        .buffer(true)
        .parse((response, callback) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () => callback(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(res.headers['content-type']).toMatch(/application\/pdf/);
      const pdf = res.body as Buffer;
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 288 432\]/);
      expect(pdf.toString('latin1')).toMatch(/\/Subtype \/Image/);
      const text = pdfText(pdf);
      const tn = created.body.trackingNumber as string;
      expect(text).toContain('ADA LOVELACE');
      expect(text).toContain('ALAN TURING');
      expect(text).toContain('DENVER CO 80202');
      expect(text).toContain('PRIORITY MAIL');
      expect(text).toContain(tn.replace(/(\d{4})(?=\d)/g, '$1 '));
    });

    it("never shows another user's labels", async () => {
      const created = await label(alice).expect(201);
      await api().get(`/api/v1/labels/${created.body.labelId}`).set('authorization', bob).expect(404);
      await api().get(`/api/v1/labels/${created.body.labelId}/pdf`).set('authorization', bob).expect(404);
      await api().post(`/api/v1/labels/${created.body.labelId}/refund`).set('authorization', bob).expect(404);
      const bobs = await api().get('/api/v1/labels').set('authorization', bob).expect(200);
      expect((bobs.body.items as { labelId: string }[]).some((l) => l.labelId === created.body.labelId)).toBe(false);
    });

    it('lists labels in pages', async () => {
      const first = await api().get('/api/v1/labels?limit=2').set('authorization', alice).expect(200);
      expect(first.body.items).toHaveLength(2);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await api()
        .get(`/api/v1/labels?limit=2&cursor=${first.body.nextCursor}`)
        .set('authorization', alice)
        .expect(200);
      const ids = [...first.body.items, ...second.body.items].map((l: { labelId: string }) => l.labelId);
      expect(new Set(ids).size).toBe(ids.length);
      await api().get('/api/v1/labels?limit=0').set('authorization', alice).expect(400);
      await api().get('/api/v1/labels?cursor=garbage').set('authorization', alice).expect(400);
    });

    it('refunds before acceptance, once', async () => {
      const created = await label(alice).expect(201);
      const res = await api()
        .post(`/api/v1/labels/${created.body.labelId}/refund`)
        .set('authorization', alice)
        .expect(200);
      expect(res.body.status).toBe('refunded');
      await pickupEvents.waitFor(
        (e) => e.value.type === 'LabelRefunded' && e.value.data.trackingNumber === created.body.trackingNumber,
      );
      const again = await api()
        .post(`/api/v1/labels/${created.body.labelId}/refund`)
        .set('authorization', alice)
        .expect(409);
      expect(again.body.message).toMatch(/already refunded/);
    });

    it('refuses a refund after the acceptance scan, and a repeated scan event changes nothing', async () => {
      const created = await label(alice).expect(201);
      const eventId = randomUUID();
      await accept(created.body.trackingNumber, eventId);
      await accept(created.body.trackingNumber, eventId);
      await waitFor(
        async () => {
          const res = await api().get(`/api/v1/labels/${created.body.labelId}`).set('authorization', alice);
          return res.body.acceptedAt ? res : undefined;
        },
        { timeoutMs: 30_000, description: 'the acceptance of the label' },
      );
      const res = await api()
        .post(`/api/v1/labels/${created.body.labelId}/refund`)
        .set('authorization', alice)
        .expect(409);
      expect(res.body.message).toMatch(/accepted/);
    });

    it('refuses a refund 30 days after the label was made', async () => {
      const created = await label(alice).expect(201);
      now = new Date(NOW.getTime() + 30 * DAY_MS);
      const res = await api()
        .post(`/api/v1/labels/${created.body.labelId}/refund`)
        .set('authorization', alice)
        .expect(409);
      expect(res.body.message).toMatch(/30 days/);
    });
  });

  describe('IMpb serials', () => {
    const SERIAL_KEY = 'pickup:impb-serial';
    /** The counter value behind a tracking number's (permuted) serial. */
    const serialOf = (trackingNumber: string) =>
      app.get(SerialPermutation).invert(Number(trackingNumber.slice(14, 21)));
    const redis = () => app.get(RedisConnection).client;

    it('gives the next label a fresh number at the first try after Redis lost the counter', async () => {
      const before = await label(alice).expect(201);
      await redis().del(SERIAL_KEY);
      const insert = jest.spyOn(app.get(LabelsRepository), 'insert');
      try {
        const after = await label(alice).expect(201);
        expect(insert).toHaveBeenCalledTimes(1);
        expect(serialOf(after.body.trackingNumber)).toBeGreaterThan(serialOf(before.body.trackingNumber));
        expect(checkTrackingNumber(after.body.trackingNumber).valid).toBe(true);
      } finally {
        insert.mockRestore();
      }
    });

    it('raises a lost counter above the stored labels at start, and after a collision', async () => {
      const newest = serialOf((await label(alice).expect(201)).body.trackingNumber);
      const fresh = () =>
        new SerialAllocator(
          app.get(RedisConnection),
          app.get(SerialReservationsRepository),
          app.get(LabelsRepository),
          app.get(PICKUP_CONFIG),
          app.get(SerialPermutation),
        );
      await redis().del(SERIAL_KEY);
      await fresh().recover('start');
      expect((await fresh().next()).index).toBeGreaterThan(newest);

      // A replica that has not started its recovery yet collides once, then recovers.
      await redis().del(SERIAL_KEY);
      const late = fresh();
      expect((await late.next()).index).toBe(1);
      await late.recover('collision');
      expect((await late.next()).index).toBeGreaterThan(newest);
    });

    it('hands out permuted serials, and after a collision counts labels made before serials were permuted', async () => {
      const allocator = app.get(SerialAllocator);
      const a = await allocator.next();
      const b = await allocator.next();
      expect(b.index).toBe(a.index + 1);
      expect(Math.abs(b.serial - a.serial)).toBeGreaterThan(1);
      expect(app.get(SerialPermutation).invert(a.serial)).toBe(a.index);

      // A label from before: its serial was the counter value itself, and it has no serialIndex.
      const reserved = Number(await redis().get(SERIAL_KEY));
      const legacySerial = reserved + 5000;
      const legacy = buildImpbPic('priority', app.get(PICKUP_CONFIG).IMPB_MAILER_ID, legacySerial);
      await app
        .get<Connection>(getConnectionToken())
        .collection('labels')
        .insertOne({ _id: legacy, labelId: randomUUID() } as never);
      await app.get(SerialAllocator).recover('collision');
      expect((await allocator.next()).index).toBeGreaterThan(legacySerial);
    });

    it('answers 503 with the reason once the serials are used up', async () => {
      const current = Number(await redis().get(SERIAL_KEY));
      await redis().set(SERIAL_KEY, MAX_IMPB_SERIAL);
      try {
        const res = await label(alice).expect(503);
        expect(res.body.message).toMatch(/no tracking numbers are left/);
      } finally {
        await redis().set(SERIAL_KEY, current);
      }
      await label(alice).expect(201);
    });
  });

  describe('carrier pickups', () => {
    const schedule = (auth: string, overrides: Record<string, unknown> = {}) =>
      api().post('/api/v1/pickups').set('authorization', auth).send(pickupBody(overrides));

    it('schedules a pickup and publishes PickupScheduled', async () => {
      const res = await schedule(alice).expect(201);
      expect(res.body).toMatchObject({ status: 'scheduled', date: '2025-05-08' });
      expect(res.body.confirmationNumber).toMatch(/^WTC\d{9}$/);
      await pickupEvents.waitFor(
        (e) => e.value.type === 'PickupScheduled' && e.value.key === res.body.confirmationNumber,
      );
    });

    it.each([
      ['a Sunday', { date: '2025-05-11' }, /Sunday/],
      ['a federal holiday', { date: '2025-05-26' }, /holiday/],
      ['a past date', { date: '2025-05-06' }, /past/],
      ['today after 2 AM Central', { date: '2025-05-07' }, /2:00 AM/],
      ['a date beyond the booking window', { date: '2025-06-02' }, /days ahead/],
      ['an impossible date', { date: '2025-02-30' }, /calendar date/],
      [
        'no packages',
        { packages: { priorityExpress: 0, priority: 0, groundAdvantage: 0, returns: 0, international: 0, other: 0 } },
        /at least one package/,
      ],
      [
        'negative counts',
        { packages: { priorityExpress: -1, priority: 2, groundAdvantage: 0, returns: 0, international: 0, other: 0 } },
        /priorityExpress/,
      ],
      ['"other" without instructions', { packageLocation: 'other' }, /instructions/],
      ['an unknown location', { packageLocation: 'roof' }, /packageLocation/],
      ['no contact', { contact: {} }, /email or a phone/],
      ['an estimated weight of 0 lb', { estimatedWeightLb: 0 }, /estimatedWeightLb must be a positive number/],
      ['instructions over 500 characters', { instructions: 'x'.repeat(501) }, /instructions/],
    ])('refuses %s with a 400 and the reason', async (_name, overrides, reason) => {
      const res = await schedule(alice, overrides).expect(400);
      expect(JSON.stringify(res.body.message)).toMatch(reason);
    });

    it('accepts 14 days ahead and "other" with instructions', async () => {
      await schedule(alice, { date: '2025-05-21', packageLocation: 'other', instructions: 'behind the gate' }).expect(
        201,
      );
    });

    it("never shows another user's pickups", async () => {
      const created = await schedule(alice).expect(201);
      const cn = created.body.confirmationNumber as string;
      await api().get(`/api/v1/pickups/${cn}`).set('authorization', bob).expect(404);
      await api().patch(`/api/v1/pickups/${cn}`).set('authorization', bob).send({ date: '2025-05-09' }).expect(404);
      await api().delete(`/api/v1/pickups/${cn}`).set('authorization', bob).expect(404);
      const list = await api().get('/api/v1/pickups').set('authorization', bob).expect(200);
      expect(list.body.items).toEqual([]);
    });

    it('modifies (re-validated) and cancels; a cancelled pickup cannot change', async () => {
      const created = await schedule(alice).expect(201);
      const cn = created.body.confirmationNumber as string;
      const modified = await api()
        .patch(`/api/v1/pickups/${cn}`)
        .set('authorization', alice)
        .send({ date: '2025-05-09', packageLocation: 'side_door', instructions: 'ring twice' })
        .expect(200);
      expect(modified.body).toMatchObject({
        date: '2025-05-09',
        packageLocation: 'side_door',
        instructions: 'ring twice',
      });
      await api().patch(`/api/v1/pickups/${cn}`).set('authorization', alice).send({ date: '2025-05-11' }).expect(400);
      await pickupEvents.waitFor((e) => e.value.type === 'PickupUpdated' && e.value.key === cn);
      const cancelled = await api().delete(`/api/v1/pickups/${cn}`).set('authorization', alice).expect(200);
      expect(cancelled.body.status).toBe('cancelled');
      await pickupEvents.waitFor((e) => e.value.type === 'PickupCancelled' && e.value.key === cn);
      await api().patch(`/api/v1/pickups/${cn}`).set('authorization', alice).send({ date: '2025-05-09' }).expect(409);
      await api().delete(`/api/v1/pickups/${cn}`).set('authorization', alice).expect(409);
      const shown = await api().get(`/api/v1/pickups/${cn}`).set('authorization', alice).expect(200);
      expect(shown.body.status).toBe('cancelled');
    });

    it('clears the instructions with an explicit null, except while the location is "other"', async () => {
      const created = await schedule(alice, { instructions: 'ring twice', dogPresent: true }).expect(201);
      const cn = created.body.confirmationNumber as string;
      const scheduled = await pickupEvents.waitFor((e) => e.value.type === 'PickupScheduled' && e.value.key === cn);
      expect(scheduled.value.data).toMatchObject({ dogPresent: true, instructions: 'ring twice' });

      const cleared = await api()
        .patch(`/api/v1/pickups/${cn}`)
        .set('authorization', alice)
        .send({ instructions: null })
        .expect(200);
      expect(cleared.body.instructions).toBeUndefined();
      const shown = await api().get(`/api/v1/pickups/${cn}`).set('authorization', alice).expect(200);
      expect(shown.body).not.toHaveProperty('instructions');
      const updated = await pickupEvents.waitFor((e) => e.value.type === 'PickupUpdated' && e.value.key === cn);
      expect(updated.value.data).toMatchObject({ dogPresent: true });
      expect(updated.value.data).not.toHaveProperty('instructions');

      await api()
        .patch(`/api/v1/pickups/${cn}`)
        .set('authorization', alice)
        .send({ packageLocation: 'other', instructions: 'behind the gate' })
        .expect(200);
      const refused = await api()
        .patch(`/api/v1/pickups/${cn}`)
        .set('authorization', alice)
        .send({ instructions: null })
        .expect(400);
      expect(refused.body.message).toMatch(/needs instructions/);
      await api().patch(`/api/v1/pickups/${cn}`).set('authorization', alice).send({ instructions: 42 }).expect(400);
    });

    it("refuses to attach another user's label", async () => {
      const bobs = await label(bob).expect(201);
      const res = await schedule(alice, { trackingNumbers: [bobs.body.trackingNumber] }).expect(400);
      expect(res.body.message).toMatch(/unknown label/);
    });

    it("completes a pickup when an attached label's parcel is accepted", async () => {
      const created = await label(alice).expect(201);
      const pickup = await schedule(alice, { labelIds: [created.body.labelId] }).expect(201);
      const cn = pickup.body.confirmationNumber as string;
      expect(pickup.body.trackingNumbers).toEqual([created.body.trackingNumber]);
      await accept(created.body.trackingNumber);
      const completed = await pickupEvents.waitFor((e) => e.value.type === 'PickupCompleted' && e.value.key === cn, {
        timeoutMs: 30_000,
      });
      expect(completed.value.data.trackingNumber).toBe(created.body.trackingNumber);
      const shown = await api().get(`/api/v1/pickups/${cn}`).set('authorization', alice).expect(200);
      expect(shown.body.status).toBe('completed');
    });

    it('refuses to attach a label whose parcel was already accepted', async () => {
      const created = await label(alice).expect(201);
      await accept(created.body.trackingNumber);
      await waitFor(
        async () => {
          const res = await api().get(`/api/v1/labels/${created.body.labelId}`).set('authorization', alice);
          return res.body.acceptedAt ? res : undefined;
        },
        { timeoutMs: 30_000, description: 'the acceptance of the label' },
      );
      const res = await schedule(alice, { labelIds: [created.body.labelId] }).expect(409);
      expect(res.body.message).toMatch(/already accepted/);
      const pickup = await schedule(alice).expect(201);
      const patched = await api()
        .patch(`/api/v1/pickups/${pickup.body.confirmationNumber}`)
        .set('authorization', alice)
        .send({ trackingNumbers: [created.body.trackingNumber] })
        .expect(409);
      expect(patched.body.message).toMatch(/already accepted/);
    });

    it('refuses to attach a refunded label', async () => {
      const created = await label(alice).expect(201);
      await api().post(`/api/v1/labels/${created.body.labelId}/refund`).set('authorization', alice).expect(200);
      const res = await schedule(alice, { trackingNumbers: [created.body.trackingNumber] }).expect(409);
      expect(res.body.message).toMatch(/refunded/);
    });

    it('refuses a label attached to another scheduled pickup until it is removed there', async () => {
      const created = await label(alice).expect(201);
      const tn = created.body.trackingNumber as string;
      const first = await schedule(alice, { trackingNumbers: [tn] }).expect(201);
      const firstCn = first.body.confirmationNumber as string;
      const refused = await schedule(alice, { trackingNumbers: [tn] }).expect(409);
      expect(refused.body.message).toContain(`attached to scheduled pickup ${firstCn}`);
      const second = await schedule(alice).expect(201);
      const secondCn = second.body.confirmationNumber as string;
      await api()
        .patch(`/api/v1/pickups/${secondCn}`)
        .set('authorization', alice)
        .send({ labelIds: [created.body.labelId] })
        .expect(409);

      await api()
        .patch(`/api/v1/pickups/${firstCn}`)
        .set('authorization', alice)
        .send({ trackingNumbers: [] })
        .expect(200);
      const moved = await api()
        .patch(`/api/v1/pickups/${secondCn}`)
        .set('authorization', alice)
        .send({ labelIds: [created.body.labelId] })
        .expect(200);
      expect(moved.body.trackingNumbers).toEqual([tn]);
      const shown = await api().get(`/api/v1/labels/${created.body.labelId}`).set('authorization', alice).expect(200);
      expect(shown.body.pickupConfirmationNumber).toBe(secondCn);

      // After its day, only the pickup that still holds the label is missed.
      now = new Date('2025-05-09T05:00:00Z');
      await app.get(PickupsService).markMissed();
      expect((await api().get(`/api/v1/pickups/${firstCn}`).set('authorization', alice)).body.status).toBe('scheduled');
      expect((await api().get(`/api/v1/pickups/${secondCn}`).set('authorization', alice)).body.status).toBe('missed');
    });

    it("takes a label from a cancelled pickup, whose stale pointer doesn't block it", async () => {
      const created = await label(alice).expect(201);
      const first = await schedule(alice, { labelIds: [created.body.labelId] }).expect(201);
      await api().delete(`/api/v1/pickups/${first.body.confirmationNumber}`).set('authorization', alice).expect(200);
      const second = await schedule(alice, { labelIds: [created.body.labelId] }).expect(201);
      expect(second.body.trackingNumbers).toEqual([created.body.trackingNumber]);
    });

    it('answers 409 when the pickup is cancelled while a change is being saved', async () => {
      const created = await schedule(alice).expect(201);
      const cn = created.body.confirmationNumber as string;
      const repository = app.get(PickupsRepository);
      const update = repository.update.bind(repository);
      // The cancel lands between the modify's read and its conditional write.
      jest.spyOn(repository, 'update').mockImplementationOnce(async (filter, change) => {
        await update({ _id: cn }, { $set: { status: 'cancelled' } });
        return update(filter, change);
      });
      const res = await api()
        .patch(`/api/v1/pickups/${cn}`)
        .set('authorization', alice)
        .send({ date: '2025-05-09' })
        .expect(409);
      expect(res.body.message).toMatch(/cancelled/);
      const shown = await api().get(`/api/v1/pickups/${cn}`).set('authorization', alice).expect(200);
      expect(shown.body).toMatchObject({ status: 'cancelled', date: '2025-05-08' });
    });

    it('answers 409 instead of losing a change that landed between its read and its write', async () => {
      const created = await schedule(alice).expect(201);
      const cn = created.body.confirmationNumber as string;
      const repository = app.get(PickupsRepository);
      const update = repository.update.bind(repository);
      jest.spyOn(repository, 'update').mockImplementationOnce(async (filter, change) => {
        await update({ _id: cn }, { $set: { packageLocation: 'office', updatedAt: new Date(now.getTime() + 1000) } });
        return update(filter, change);
      });
      const res = await api()
        .patch(`/api/v1/pickups/${cn}`)
        .set('authorization', alice)
        .send({ date: '2025-05-09' })
        .expect(409);
      expect(res.body.message).toMatch(/changed meanwhile/);
      const shown = await api().get(`/api/v1/pickups/${cn}`).set('authorization', alice).expect(200);
      expect(shown.body).toMatchObject({ status: 'scheduled', packageLocation: 'office', date: '2025-05-08' });
    });

    it('marks a pickup with labels and no acceptance missed after its day ends in Chicago', async () => {
      const created = await label(alice).expect(201);
      const pickup = await schedule(alice, { trackingNumbers: [created.body.trackingNumber] }).expect(201);
      const cn = pickup.body.confirmationNumber as string;
      const service = app.get(PickupsService);
      // 2025-05-08 23:30 in Chicago: the day has not ended yet
      now = new Date('2025-05-09T04:30:00Z');
      await service.markMissed();
      expect((await api().get(`/api/v1/pickups/${cn}`).set('authorization', alice)).body.status).toBe('scheduled');
      now = new Date('2025-05-09T05:00:00Z');
      await service.markMissed();
      expect((await api().get(`/api/v1/pickups/${cn}`).set('authorization', alice)).body.status).toBe('missed');
      await pickupEvents.waitFor((e) => e.value.type === 'PickupMissed' && e.value.key === cn);
    });

    it('does not call a pickup missed when every label on it was refunded', async () => {
      const created = await label(alice).expect(201);
      const pickup = await schedule(alice, { trackingNumbers: [created.body.trackingNumber] }).expect(201);
      const cn = pickup.body.confirmationNumber as string;
      await api().post(`/api/v1/labels/${created.body.labelId}/refund`).set('authorization', alice).expect(200);
      now = new Date('2025-05-09T05:00:00Z');
      await app.get(PickupsService).markMissed();
      expect((await api().get(`/api/v1/pickups/${cn}`).set('authorization', alice)).body.status).toBe('scheduled');
    });
  });

  describe('stamps and orders', () => {
    it('shows the catalogue publicly', async () => {
      const res = await api().get('/api/v1/stamps').expect(200);
      expect((res.body.items as { sku: string }[]).map((i) => i.sku)).toEqual(
        expect.arrayContaining(['FOREVER-SHEET-20', 'FOREVER-COIL-100']),
      );
    });

    it('places an order with server-side totals and publishes OrderPlaced', async () => {
      const catalogue = (await api().get('/api/v1/stamps')).body.items as { sku: string; priceCents: number }[];
      const sheet = catalogue.find((i) => i.sku === 'FOREVER-SHEET-20')!;
      const res = await api()
        .post('/api/v1/orders')
        .set('authorization', alice)
        .send({ items: [{ sku: 'FOREVER-SHEET-20', quantity: 3 }], shippingAddressId: 'adr-1', payment: card })
        .expect(201);
      expect(res.body).toMatchObject({
        status: 'paid',
        totalCents: sheet.priceCents * 3,
        payment: { method: 'card', amountCents: sheet.priceCents * 3, card: { brand: 'visa', last4: '4242' } },
      });
      const event = await pickupEvents.waitFor(
        (e) => e.value.type === 'OrderPlaced' && e.value.key === res.body.orderId,
      );
      expect(event.value.data.shippingAddress).toMatchObject({ zip: '22201' });
      const mine = await api().get('/api/v1/orders').set('authorization', alice).expect(200);
      expect((mine.body.items as { orderId: string }[]).map((o) => o.orderId)).toContain(res.body.orderId);
      const bobs = await api().get('/api/v1/orders').set('authorization', bob).expect(200);
      expect(bobs.body.items).toEqual([]);
    });

    it.each([
      [{ items: [{ sku: 'NOPE', quantity: 1 }], shippingAddress: ada }, /unknown sku/],
      [{ items: [{ sku: 'FOREVER-SHEET-20', quantity: 101 }], shippingAddress: ada }, /quantity/],
      [{ items: [{ sku: 'FOREVER-SHEET-20', quantity: 0 }], shippingAddress: ada }, /quantity/],
      [{ items: [{ sku: 'FOREVER-SHEET-20', quantity: 1.5 }], shippingAddress: ada }, /quantity/],
      [{ items: [], shippingAddress: ada }, /items/],
      [
        { items: Array.from({ length: 21 }, () => ({ sku: 'FOREVER-SHEET-20', quantity: 1 })), shippingAddress: ada },
        /items/,
      ],
      [{ items: [{ sku: 'FOREVER-SHEET-20', quantity: 1 }] }, /shippingAddress/],
      [{ items: [{ sku: 'FOREVER-SHEET-20', quantity: 1, priceCents: 1 }], shippingAddress: ada }, /should not exist/],
    ])('refuses a bad order %j with a 400', async (body, reason) => {
      const res = await api()
        .post('/api/v1/orders')
        .set('authorization', alice)
        .send({ payment: card, ...body })
        .expect(400);
      expect(JSON.stringify(res.body.message)).toMatch(reason);
    });
  });
});
