/**
 * What one outbox sweep pass costs FerretDB (SQLite backend) at size: DOCS documents of which LEFT
 * hold entries (a crash's leftovers). First the queries a sweep could use, each timed with the
 * store's CPU and FerretDB's own `explain` (whether the filter was pushed down to SQLite); then the
 * relay's passes in the same run: the full pass over the collection (the old sweep) and the pass over
 * the Redis pending set (the new one), each with LEFT leftovers seeded again before it. The relay's
 * publisher is a stub (the cost measured is the store's and Redis'). On infrastructure of its own
 * (free ports, `.data/outbox-sweep`), FerretDB and Redis only:
 *
 *   node -r ./bench/ts-register.js bench/outbox-sweep.ts [docs] [leftovers] [rounds]
 */
import { createEnvelope, defineEvent, registerEventDefinition, Topics } from '@app/contracts';
import {
  EventPublisher,
  OutboxPendingSet,
  OutboxRelay,
  resolveMessagingOptions,
  toOutboxEntries,
} from '@app/messaging';
import { KeyedLock } from '@app/persistence';
import { Redis } from 'ioredis';
import mongoose, { Schema } from 'mongoose';
import { z } from 'zod';
import { startStoreOnly, timedCpu as timed } from './support/store-only';
import { percentile } from './support/results';

const median = (values: number[]) => percentile(values, 50);

const DOCS = Number(process.argv[2] ?? 100_000);
const LEFT = Number(process.argv[3] ?? 10);
const ROUNDS = Number(process.argv[4] ?? 3);

const SweepProbedV1 = defineEvent({
  type: 'BenchSweepProbed',
  version: 1,
  topic: Topics.Tracking,
  schema: z.object({ n: z.number() }),
  example: { n: 1 },
});

interface ProbeDoc {
  _id: string;
  status: string;
  events: { code: string; at: string }[];
  outbox: unknown[];
}

async function main(): Promise<void> {
  const unregister = registerEventDefinition(SweepProbedV1);
  const { infra, ferretPid: ferret } = await startStoreOnly('outbox-sweep');
  const mongo = await mongoose.createConnection(infra.env.MONGO_URL, { dbName: 'sweep' }).asPromise();
  const redis = new Redis(infra.env.REDIS_URL);
  try {
    const model = mongo.model<ProbeDoc>(
      'SweepProbe',
      new Schema<ProbeDoc>({ _id: String, status: String, events: [Schema.Types.Mixed], outbox: [Schema.Types.Mixed] }),
      'parcels',
    );
    const collection = model.collection;
    const old = new Date(Date.now() - 60_000).toISOString();
    const entry = (id: string) =>
      toOutboxEntries([
        createEnvelope({
          type: SweepProbedV1.type,
          version: SweepProbedV1.version,
          key: id,
          data: { n: 1 },
          source: 'bench',
        }),
      ]).map((e) => ({
        ...e,
        occurredAt: old,
      }));
    const leftIds = Array.from(
      { length: LEFT },
      (_, i) => `P${String(Math.floor((i * DOCS) / LEFT)).padStart(9, '0')}`,
    );
    const left = new Set(leftIds);
    // Parcel-sized documents: a status, a few scan events, the applied ids.
    for (let i = 0; i < DOCS; i += 1000) {
      const page = [];
      for (let j = i; j < Math.min(i + 1000, DOCS); j++) {
        const id = `P${String(j).padStart(9, '0')}`;
        page.push({
          _id: id,
          status: 'in_transit',
          events: [1, 2, 3].map((k) => ({ code: `S${k}`, at: old })),
          appliedEventIds: [`${id}-a`, `${id}-b`, `${id}-c`],
          outbox: left.has(id) ? entry(id) : [],
        });
      }
      await collection.insertMany(page as never[], { ordered: false });
    }
    console.error(`seeded ${DOCS} documents, ${LEFT} with an entry`);

    const queries: { name: string; run: () => Promise<number>; explain?: () => Promise<unknown> }[] = [
      {
        name: "find {'outbox.0': {$exists: true}} limit 100 (the old sweep's read)",
        run: async () => (await collection.find({ 'outbox.0': { $exists: true } }, { limit: 100 }).toArray()).length,
        explain: () => collection.find({ 'outbox.0': { $exists: true } }, { limit: 100 }).explain(),
      },
      {
        name: "find {'outbox.occurredAt': {$exists: true}} with an index on it",
        run: async () => (await collection.find({ 'outbox.occurredAt': { $exists: true } }).toArray()).length,
        explain: () => collection.find({ 'outbox.occurredAt': { $exists: true } }).explain(),
      },
      {
        name: 'find {outbox: {$ne: []}} projection {outbox: 1}',
        run: async () =>
          (await collection.find({ outbox: { $ne: [] } }, { projection: { outbox: 1 } }).toArray()).length,
      },
      {
        name: `find {_id: {$in: ${LEFT} ids}}`,
        run: async () => (await collection.find({ _id: { $in: leftIds } } as never).toArray()).length,
        explain: () => collection.find({ _id: { $in: leftIds } } as never).explain(),
      },
      {
        name: `${LEFT} point reads {_id}`,
        run: async () => {
          let n = 0;
          for (const id of leftIds) if (await collection.findOne({ _id: id } as never)) n++;
          return n;
        },
        explain: () => collection.find({ _id: leftIds[0] } as never).explain(),
      },
    ];
    await collection.createIndex({ 'outbox.occurredAt': 1 });
    for (const q of queries) {
      const runs = [];
      for (let r = 0; r < ROUNDS; r++) runs.push(await timed(ferret, q.run));
      const plan = q.explain ? ((await q.explain()) as { filterPushdown?: unknown }) : undefined;
      console.log(
        `${q.name}: ${runs[0].result} found, median ${median(runs.map((r) => r.ms)).toFixed(1)} ms, FerretDB CPU ${median(
          runs.map((r) => r.cpuMs),
        ).toFixed(0)} ms${plan ? `, filterPushdown ${String(plan.filterPushdown)}` : ''}`,
      );
    }

    if (process.env.SKIP_RELAY === '1') return;
    // The relay's own passes, old and new, alternated in one run.
    const publisher = { publish: () => Promise.resolve() };
    const options = resolveMessagingOptions({
      clientId: 'bench',
      brokers: ['127.0.0.1:1'],
      outbox: { sweepIntervalMs: 300_000, sweepMinAgeMs: 2000 },
    });
    // The old pass: a collection watched without a pending set (the sweep's code before the set, unchanged).
    const oldRelay = new OutboxRelay(publisher as unknown as EventPublisher, options);
    oldRelay.watch(model);
    // The new one: the same collection with its pending set and its documents' lock.
    const newRelay = new OutboxRelay(publisher as unknown as EventPublisher, options);
    const pending = new OutboxPendingSet(redis, 'bench:outbox-pending:parcels');
    newRelay.watch(model, { lock: new KeyedLock(), pending });
    const seed = async () => {
      for (const id of leftIds) await collection.updateOne({ _id: id } as never, { $set: { outbox: entry(id) } });
      await pending.add(leftIds);
    };
    const passes = {
      'old full pass (no pending set)': () => oldRelay.sweep(),
      'new pass over the pending set': () => newRelay.sweep(),
      'new full pass (hourly, set lost)': () => newRelay.sweep({ full: true }),
    };
    // Marks the set complete.
    await seed();
    await newRelay.sweep({ full: true });
    const rows = new Map<string, { ms: number; cpuMs: number }[]>();
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, pass] of Object.entries(passes)) {
        await seed();
        const run = await timed(ferret, pass);
        if (run.result.published !== LEFT) throw new Error(`${name} published ${run.result.published}, not ${LEFT}`);
        rows.set(name, [...(rows.get(name) ?? []), { ms: run.ms, cpuMs: run.cpuMs }]);
      }
    }
    for (const [name, runs] of rows) {
      console.log(
        `relay ${name}, ${LEFT} leftovers in ${DOCS}: median ${median(runs.map((r) => r.ms)).toFixed(1)} ms, ` +
          `FerretDB CPU ${median(runs.map((r) => r.cpuMs)).toFixed(0)} ms (runs: ${runs.map((r) => r.ms.toFixed(0)).join(', ')} ms)`,
      );
    }
  } finally {
    unregister();
    redis.disconnect();
    await mongo.close();
    await infra.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
