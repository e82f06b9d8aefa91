import {
  computeImpbCheckDigit,
  createEnvelope,
  LabelCreatedV1,
  ScanRecordedV1,
  type ScanRecordedData,
  TRACKING_VIEWS_CHANGED_CHANNEL,
} from '@app/contracts';
import { createServiceApp, RedisConnection } from '@app/platform';
import { freePort, waitFor } from '@app/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import request from 'supertest';
import { AppModule, HTTP_ENGINE } from '../src/app.module';
import { loadTrackingConfig, type TrackingConfig } from '../src/config';
import { ParcelIngestService } from '../src/ingest/parcel-ingest.service';
import { TrackingViewStore, trackingViewKey, type StoredView } from '../src/lookup/tracking-view-store';
import { ParcelRepository } from '../src/parcels/parcel.repository';

jest.setTimeout(120_000);

const run = randomUUID().slice(0, 8);
let serial = 0;
function newTrackingNumber(): string {
  const body = `9205590${String(Date.now()).slice(-8)}${String(++serial).padStart(6, '0')}`;
  return body + computeImpbCheckDigit(body);
}

const facility = { name: 'DENVER MAIN POST OFFICE', city: 'DENVER', state: 'CO', zip: '80202' };
const label = (trackingNumber: string) => ({
  kind: 'label' as const,
  envelope: createEnvelope({
    type: LabelCreatedV1.type,
    version: 1,
    key: trackingNumber,
    source: 'e2e',
    data: { ...LabelCreatedV1.example, trackingNumber, userId: 'owner-1' },
  }),
});
const scan = (trackingNumber: string, code: ScanRecordedData['code'], occurredAt: string) => {
  const data: ScanRecordedData = { eventId: randomUUID(), trackingNumber, code, occurredAt, facility };
  return {
    kind: 'scan' as const,
    envelope: createEnvelope({
      id: data.eventId,
      type: ScanRecordedV1.type,
      version: 1,
      key: trackingNumber,
      data,
      source: 'e2e',
    }),
  };
};
const view = (trackingNumber: string, status: string) => ({
  version: 0,
  view: { trackingNumber, status, statusCategory: 'in_transit', events: [] },
});

describe('tracking view store (real Redis)', () => {
  let connection: RedisConnection;
  let store: TrackingViewStore;
  const config = { TRACKING_VIEW_TTL_SECONDS: 3600, TRACKING_UNKNOWN_TTL_SECONDS: 10 } as TrackingConfig;

  beforeAll(async () => {
    connection = new RedisConnection({ url: process.env.REDIS_URL!, keyPrefix: `e2e-views-${run}:`, failFast: true });
    await connection.onModuleInit();
    store = new TrackingViewStore(connection, config);
  });

  afterAll(async () => {
    await connection?.onApplicationShutdown();
  });

  it('keeps the newer of two writes whatever order they arrive in', async () => {
    const [a, b] = [newTrackingNumber(), newTrackingNumber()];
    const older: StoredView = { ...view(a, 'old'), version: 4 };
    const newer: StoredView = { ...view(a, 'new'), version: 5 };
    // A late write of an older view (a miss rebuilt from a read that raced the change) comes second.
    await store.putMany([{ trackingNumber: a, entry: newer }]);
    await store.putMany([{ trackingNumber: a, entry: older }]);
    await store.putMany([{ trackingNumber: b, entry: { ...older, view: { ...older.view!, trackingNumber: b } } }]);
    await store.putMany([{ trackingNumber: b, entry: { ...newer, view: { ...newer.view!, trackingNumber: b } } }]);
    const [gotA, gotB] = await store.getMany([a, b]);
    expect([gotA?.version, gotA?.view?.status]).toEqual([5, 'new']);
    expect([gotB?.version, gotB?.view?.status]).toEqual([5, 'new']);
    // The unknown-number marker (version 0) never hides a parcel either.
    await store.putMany([{ trackingNumber: a, entry: { version: 0, view: null } }]);
    expect((await store.getMany([a]))[0]?.view?.status).toBe('new');
  });

  it('lets views of cold parcels expire, and unknown numbers sooner', async () => {
    const [known, unknown] = [newTrackingNumber(), newTrackingNumber()];
    await store.putMany([
      { trackingNumber: known, entry: { ...view(known, 'x'), version: 1 } },
      { trackingNumber: unknown, entry: { version: 0, view: null } },
    ]);
    const ttl = (n: string) => connection.client.pttl(trackingViewKey(n));
    expect(await ttl(known)).toBeGreaterThan(3590_000);
    expect(await ttl(known)).toBeLessThanOrEqual(3600_000);
    expect(await ttl(unknown)).toBeGreaterThan(9_000);
    expect(await ttl(unknown)).toBeLessThanOrEqual(10_000);
  });
});

/** A Redis of this test's own, so it can be paused and killed. */
class OwnRedis {
  child: ChildProcess | undefined;
  constructor(readonly port: number) {}

  async start(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    const probe = new Redis(this.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined);
    await waitFor(() => probe.ping().then(() => true), { timeoutMs: 10_000, description: 'own redis-server' });
    probe.disconnect();
  }

  signal(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGCONT');
    child.kill('SIGKILL');
    await exited;
  }
}

describe('tracking lookups from the read model (real Kafka, FerretDB and a Redis of its own)', () => {
  let app: NestFastifyApplication;
  let redis: OwnRedis;
  let monitorClient: Redis;
  let ingest: ParcelIngestService;
  let parcels: ParcelRepository;
  const prefix = `e2e-readmodel-${run}`;
  const api = () => request(app.getHttpServer());

  beforeAll(async () => {
    redis = new OwnRedis(await freePort());
    await redis.start();
    monitorClient = new Redis(redis.port, '127.0.0.1');
    const config = loadTrackingConfig({
      ...process.env,
      KAFKA_TOPIC_PREFIX: `${prefix}.`,
      MONGO_DB: `tracking_readmodel_${run}`,
      REDIS_URL: `redis://127.0.0.1:${redis.port}`,
      REDIS_PREFIX: `${prefix}:`,
      // Nothing here needs a token.
      AUTH_URL: 'http://127.0.0.1:9',
      LOG_LEVEL: 'warn',
      // The outbox sweep's commands on its pending set would land among those a lookup is checked for.
      OUTBOX_SWEEP_INTERVAL_MS: '0',
    });
    app = await createServiceApp(AppModule.forRoot(config), {
      http: HTTP_ENGINE,
      name: 'tracking',
      port: 0,
      bodyLimit: config.TRACKING_BODY_LIMIT,
      logger: pino({ level: 'silent' }),
    });
    await app.init();
    ingest = app.get(ParcelIngestService);
    parcels = app.get(ParcelRepository);
  });

  afterAll(async () => {
    monitorClient?.disconnect();
    await app?.close();
    await redis?.kill();
  });

  /** Runs `fn` and returns what it answered and the commands Redis received meanwhile. */
  async function commandsDuring<T>(fn: () => Promise<T>): Promise<{ result: T; commands: string[][] }> {
    const monitor = await monitorClient.monitor();
    const commands: string[][] = [];
    monitor.on('monitor', (_time: string, args: string[]) => commands.push(args));
    try {
      const result = await fn();
      // MONITOR lines trail the replies slightly.
      await new Promise((resolve) => setTimeout(resolve, 200));
      return { result, commands };
    } finally {
      monitor.disconnect();
    }
  }

  it('serves a batch of 35 known numbers with one MGET and no store read', async () => {
    const numbers = Array.from({ length: 35 }, () => newTrackingNumber());
    await ingest.apply(numbers.map(label));
    const reads = jest.spyOn(parcels, 'findById');
    try {
      const { result, commands } = await commandsDuring(() =>
        api()
          .get('/api/v1/tracking')
          .query({ numbers: numbers.join(',') }),
      );
      expect(result.status).toBe(200);
      expect((result.body.results as { found: boolean }[]).every((r) => r.found)).toBe(true);
      const names = commands.map((c) => c[0].toLowerCase());
      expect(names).toEqual(['mget']);
      expect(commands[0]).toHaveLength(36);
      expect(reads).not.toHaveBeenCalled();
    } finally {
      reads.mockRestore();
    }
  });

  it('has a change in Redis as soon as it is applied, announces it to the gateways, and a lookup of it reads no store', async () => {
    const tn = newTrackingNumber();
    await ingest.apply([label(tn)]);
    // The gateways' edge caches listen on this channel (with the deployment's prefix) to drop the old answer.
    const subscriber = new Redis(redis.port, '127.0.0.1');
    const announced: string[] = [];
    subscriber.on('message', (_channel: string, message: string) => announced.push(message));
    await subscriber.subscribe(`${prefix}:${TRACKING_VIEWS_CHANGED_CHANNEL}`);
    try {
      await ingest.apply([scan(tn, 'out_for_delivery', new Date().toISOString())]);
      await waitFor(() => announced.some((m) => m.split(',').includes(tn)), { description: 'the change announced' });
    } finally {
      subscriber.disconnect();
    }
    const stored = JSON.parse((await monitorClient.get(`${prefix}:${trackingViewKey(tn)}`))!) as StoredView;
    expect(stored).toMatchObject({ version: 2, view: { trackingNumber: tn, statusCategory: 'out_for_delivery' } });
    const reads = jest.spyOn(parcels, 'findById');
    try {
      const res = await api().get(`/api/v1/tracking/${tn}`).expect(200);
      expect(res.body).toEqual(stored.view);
      expect(reads).not.toHaveBeenCalled();
    } finally {
      reads.mockRestore();
    }
  });

  it('remembers an unknown number briefly and shows the parcel as soon as it is created', async () => {
    const tn = newTrackingNumber();
    const reads = jest.spyOn(parcels, 'findById');
    try {
      await api().get(`/api/v1/tracking/${tn}`).expect(404);
      await api().get(`/api/v1/tracking/${tn}`).expect(404);
      expect(reads).toHaveBeenCalledTimes(1);
      await ingest.apply([label(tn)]);
      await api().get(`/api/v1/tracking/${tn}`).expect(200);
      expect(reads).toHaveBeenCalledTimes(1);
    } finally {
      reads.mockRestore();
    }
  });

  it('keeps answering from the store while Redis hangs or is gone, and never shows a view older than a change applied meanwhile', async () => {
    const tn = newTrackingNumber();
    await ingest.apply([label(tn)]);
    await api().get(`/api/v1/tracking/${tn}`).expect(200);

    // Hung: commands time out; the view write of this scan fails and Redis keeps the label's view.
    redis.signal('SIGSTOP');
    await ingest.apply([scan(tn, 'in_transit', new Date().toISOString())]);
    const during = await api().get(`/api/v1/tracking/${tn}`).expect(200);
    expect(during.body.statusCategory).toBe('in_transit');
    await api().get(`/api/v1/tracking/${newTrackingNumber()}`).expect(404);

    // Back: the old entry is still there, but is dropped before it could be served.
    redis.signal('SIGCONT');
    for (let i = 0; i < 20; i++) {
      const res = await api().get(`/api/v1/tracking/${tn}`).expect(200);
      expect(res.body.statusCategory).toBe('in_transit');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await waitFor(
      async () => {
        await api().get(`/api/v1/tracking/${tn}`).expect(200);
        const raw = await monitorClient.get(`${prefix}:${trackingViewKey(tn)}`);
        return raw !== null && (JSON.parse(raw) as StoredView).view?.statusCategory === 'in_transit';
      },
      { timeoutMs: 5_000, description: 'the view rebuilt in Redis' },
    );

    // Gone: lookups fail over at once, and the instance stays ready (degraded).
    await redis.kill();
    const t0 = Date.now();
    const gone = await api().get(`/api/v1/tracking/${tn}`).expect(200);
    expect(gone.body.statusCategory).toBe('in_transit');
    expect(Date.now() - t0).toBeLessThan(1000);
    await api()
      .get('/api/v1/tracking')
      .query({ numbers: [tn, newTrackingNumber()].join(',') })
      .expect(200);
    const ready = await api().get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({ checks: { redis: 'down' } });
  });
});
