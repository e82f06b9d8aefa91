import {
  computeImpbCheckDigit,
  createEnvelope,
  encodeTrackingViewEntry,
  LabelCreatedV1,
  ScanRecordedV1,
  Topics,
  topicName,
} from '@app/contracts';
import { appEntry, freePort, produce, startPortal, waitFor, type Portal } from '@app/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Redis } from 'ioredis';
import mongoose, { type Connection } from 'mongoose';
import request from 'supertest';
import { trackingViewKey } from '../src/lookup/tracking-view-store';

jest.setTimeout(180_000);

const PARCELS = 6;
/** The requirement: a status change shows in every lookup within a second of being applied. */
const VISIBLE_WITHIN_MS = 1000;
const POLL_MS = 20;

let serial = 0;
function newTrackingNumber(): string {
  const body = `9205590${String(Date.now()).slice(-8)}${String(++serial).padStart(6, '0')}`;
  return body + computeImpbCheckDigit(body);
}

const facility = { name: 'DENVER MAIN POST OFFICE', city: 'DENVER', state: 'CO', zip: '80202' };

/**
 * Two tracking instances in one consumer group, the gateway in front of the first: each scan is
 * applied by one of them, and lookups through both (one of them always "the other instance") and
 * through the gateway must show it within a second of the store write.
 */
describe('tracking lookups across instances (real stack, two tracking processes)', () => {
  let portal: Portal;
  let second: ChildProcess | undefined;
  let secondUrl: string;
  let mongo: Connection;
  let redis: Redis;
  const db = `tracking_instances_${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    portal = await startPortal({ apps: ['gateway', 'tracking'], env: { MONGO_DB: db } });
    const port = await freePort();
    secondUrl = `http://127.0.0.1:${port}`;
    const log = fs.openSync(path.join(portal.logDir, 'tracking-2.log'), 'a');
    const instanceId = `${db}-tracking-2`;
    second = spawn(process.execPath, [appEntry('tracking')], {
      env: { ...portal.envOf('tracking'), MONGO_DB: db, TRACKING_PORT: String(port), INSTANCE_ID: instanceId },
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    await waitFor(
      async () => {
        const res = await fetch(`${secondUrl}/health/ready`);
        return res.status === 200 && ((await res.json()) as { instanceId: string }).instanceId === instanceId;
      },
      { timeoutMs: 60_000, description: 'the second tracking instance' },
    );
    mongo = await mongoose.createConnection(process.env.MONGO_URL!, { dbName: db }).asPromise();
    redis = new Redis(portal.env.REDIS_URL ?? process.env.REDIS_URL!, { keyPrefix: portal.env.REDIS_PREFIX });
  });

  afterAll(async () => {
    redis?.disconnect();
    await mongo?.close();
    if (second && second.exitCode === null) {
      const exited = new Promise((resolve) => second!.once('exit', resolve));
      second.kill('SIGTERM');
      await exited;
    }
    await portal?.stop();
  });

  const lookup = async (base: string, tn: string) => {
    const res = await fetch(`${base}/api/v1/tracking/${tn}`);
    return { status: res.status, body: (await res.json()) as { statusCategory?: string } };
  };

  it('shows a scan in lookups on every instance and through the gateway within a second of its store write', async () => {
    const numbers = Array.from({ length: PARCELS }, () => newTrackingNumber());
    const topic = (t: string) => topicName(t, portal.topicPrefix);
    await produce(
      topic(Topics.Pickup),
      numbers.map((tn) => ({
        key: tn,
        value: createEnvelope({
          type: LabelCreatedV1.type,
          version: 1,
          key: tn,
          source: 'e2e',
          data: { ...LabelCreatedV1.example, trackingNumber: tn, userId: 'owner-1' },
        }),
      })),
    );
    const endpoints = { gateway: portal.gatewayUrl, 'tracking-1': portal.urls.tracking, 'tracking-2': secondUrl };
    // Both instances answer (and have looked up) every parcel before the scans, and the gateway answers them
    // from its edge cache: the change must get through every cache in a second.
    for (const tn of numbers) {
      for (const base of Object.values(endpoints)) {
        await waitFor(async () => (await lookup(base, tn)).status === 200, {
          timeoutMs: 60_000,
          description: `label of ${tn} at ${base}`,
        });
      }
      await waitFor(
        async () => {
          const res = await fetch(`${portal.gatewayUrl}/api/v1/tracking/${tn}`);
          await res.arrayBuffer();
          return res.headers.get('x-cache') === 'HIT';
        },
        { timeoutMs: 30_000, description: `the gateway's cached answer for ${tn}` },
      );
    }

    // Every endpoint is polled for every parcel from before the scans are produced.
    const seenAt = new Map<string, number>();
    let polling = true;
    const pollers = numbers.flatMap((tn) =>
      Object.entries(endpoints).map(async ([name, base]) => {
        while (polling) {
          const { status, body } = await lookup(base, tn);
          if (status === 200 && body.statusCategory === 'out_for_delivery') {
            seenAt.set(`${name} ${tn}`, Date.now());
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        }
      }),
    );
    await produce(
      topic(Topics.PostalScans),
      numbers.map((tn) => {
        const data = {
          eventId: randomUUID(),
          trackingNumber: tn,
          code: 'out_for_delivery',
          occurredAt: new Date().toISOString(),
          facility,
        };
        return {
          key: tn,
          value: createEnvelope({
            id: data.eventId,
            type: ScanRecordedV1.type,
            version: 1,
            key: tn,
            data,
            source: 'e2e',
          }),
        };
      }),
    );
    try {
      await waitFor(() => seenAt.size === numbers.length * Object.keys(endpoints).length, {
        timeoutMs: 60_000,
        description: 'the scans in every lookup',
      });
    } finally {
      polling = false;
      await Promise.all(pollers);
    }

    // `updatedAt` is set just before the store write: the change cannot have been applied earlier.
    const parcels = mongo.db!.collection<{ _id: string; updatedAt: Date; statusCode: string }>('parcels');
    const lags: Record<string, number> = {};
    for (const tn of numbers) {
      const doc = await parcels.findOne({ _id: tn });
      expect(doc?.statusCode).toBe('out_for_delivery');
      for (const name of Object.keys(endpoints))
        lags[`${name} ${tn}`] = seenAt.get(`${name} ${tn}`)! - doc!.updatedAt.getTime();
    }
    console.log(`store write -> lookup, ms: ${JSON.stringify(lags)}`);
    const late = Object.entries(lags).filter(([, ms]) => ms > VISIBLE_WITHIN_MS);
    expect(late).toEqual([]);

    // The view lives in the shared Redis: a lookup of a known parcel touches no database. With the
    // parcels gone from the store, both instances still answer them.
    for (const tn of numbers) {
      const raw = await redis.get(trackingViewKey(tn));
      expect(JSON.parse(raw!)).toMatchObject({ view: { trackingNumber: tn, statusCategory: 'out_for_delivery' } });
    }
    // A client that kept the answer revalidates through the gateway and gets no body back (plain
    // node:http: fetch adds `Cache-Control: no-cache` to a conditional request, which forbids a 304).
    const first = await request(portal.gatewayUrl).get(`/api/v1/tracking/${numbers[0]}`).expect(200);
    const etag = first.headers.etag;
    expect(etag).toBeTruthy();
    await request(portal.gatewayUrl).get(`/api/v1/tracking/${numbers[0]}`).set('If-None-Match', etag).expect(304);

    // A lookup the gateway's edge cache does not hold is answered from the read model in Redis, byte for byte as
    // tracking answers it, and tracking is not asked: a number only the read model knows (tracking logs one line per
    // request it serves; `Cache-Control: no-cache` makes the gateway ask tracking).
    const direct = await request(portal.urls.tracking).get(`/api/v1/tracking/${numbers[1]}`).expect(200);
    const viaGateway = await request(portal.gatewayUrl).get(`/api/v1/tracking/${numbers[1]}`).expect(200);
    expect(viaGateway.text).toBe(direct.text);
    expect(viaGateway.headers.etag).toBe(direct.headers.etag);
    expect(viaGateway.headers['cache-control']).toBe(direct.headers['cache-control']);
    const trackingLines = (number: string) =>
      fs
        .readFileSync(path.join(portal.logDir, 'tracking.log'), 'utf8')
        .split('\n')
        .filter((line) => line.includes(`/api/v1/tracking/${number}`)).length;
    // The gateway reads the read model only once its change channel has been live for READ_MODEL_GRACE_MS (5 s)
    // since it started, and not while a heartbeat is late (a loaded machine): until then it asks tracking. So each
    // try takes a new number only the read model knows, looks it up through the gateway, then once more with
    // `Cache-Control: no-cache` (which makes the gateway ask tracking, and whose log line shows tracking's log is
    // written up to there): one line of tracking's for the number means the first lookup never reached it.
    const answeredFromReadModel = async (): Promise<boolean> => {
      const onlyInRedis = newTrackingNumber();
      const view = { ...(JSON.parse(direct.text) as object), trackingNumber: onlyInRedis };
      await redis.set(trackingViewKey(onlyInRedis), encodeTrackingViewEntry(1, view), 'PX', 60_000);
      const fromGateway = await request(portal.gatewayUrl).get(`/api/v1/tracking/${onlyInRedis}`).expect(200);
      expect(fromGateway.text).toBe(JSON.stringify(view));
      expect(fromGateway.headers['x-cache']).toBe('MISS');
      const fromTracking = await request(portal.gatewayUrl)
        .get(`/api/v1/tracking/${onlyInRedis}`)
        .set('Cache-Control', 'no-cache')
        .expect(200);
      expect(fromTracking.text).toBe(fromGateway.text);
      expect(fromTracking.headers.etag).toBe(fromGateway.headers.etag);
      await waitFor(() => trackingLines(onlyInRedis) > 0, {
        description: "tracking's log line of the no-cache lookup",
      });
      return trackingLines(onlyInRedis) === 1;
    };
    await waitFor(answeredFromReadModel, {
      timeoutMs: 30_000,
      description: 'a lookup answered by the gateway from the read model, without asking tracking',
    });

    await parcels.deleteMany({ _id: { $in: numbers } });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const tn of numbers) {
      for (const base of Object.values(endpoints)) {
        expect(await lookup(base, tn)).toMatchObject({ status: 200, body: { statusCategory: 'out_for_delivery' } });
      }
    }
  });
});
