import { randomUUID } from 'node:crypto';
import { ConsumerGroups, dlqTopic, Topics } from '@app/contracts';
import { MessageHeaders } from '@app/messaging';
import type { mongo } from 'mongoose';
import type { BenchContext } from '../support/context';
import { seconds, sleep } from '../support/context';
import { planScans, type ScanPlan } from '../support/scans';

export const PARCELS_COLLECTION = 'parcels';

interface StoredParcel {
  _id: string;
  events?: { eventId: string }[];
  outbox?: unknown[];
}

export interface IngestRun {
  plan: ScanPlan;
  ms: number;
  eventsPerS: number;
}

export interface EffectsCheck {
  parcels: number;
  effects: number;
  /** events stored twice in one parcel */
  duplicates: number;
  /** outbox entries whose event has not reached `tracking.events` (all of them when no tap is given) */
  pendingOutbox: number;
  /** outbox entries still stored, published or not (published ones wait for the parcel's next write or the relay's prune) */
  storedOutbox: number;
  deadLettered: number;
}

/**
 * The ids of the events on `tracking.events`, read by a group of its own from the beginning: an
 * entry still in a parcel's outbox is pending only if its event is not there. Tracking removes a
 * published entry in the parcel's next write (or after the parcel has been idle for a while), so an
 * outbox that is not empty yet no longer means "not published".
 */
export async function tapPublishedIds(ctx: BenchContext): Promise<{ ids: Set<string>; stop(): Promise<void> }> {
  const ids = new Set<string>();
  const consumer = ctx.kafka.kafka.consumer({
    groupId: `${ctx.kafka.prefix}bench-ingest-tap-${randomUUID().slice(0, 8)}`,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  await consumer.subscribe({ topic: ctx.kafka.topic(Topics.Tracking), fromBeginning: true });
  await consumer.run({
    eachBatch: ({ batch }) => {
      for (const message of batch.messages) {
        const id = message.headers?.[MessageHeaders.EventId];
        if (id) ids.add(id.toString());
      }
      return Promise.resolve();
    },
  });
  return { ids, stop: () => consumer.disconnect() };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function loadParcels(ctx: BenchContext, ids: readonly string[]): Promise<StoredParcel[]> {
  const parcels = ctx.mongo.db(ctx.stack.dbName('tracking')).collection<StoredParcel>(PARCELS_COLLECTION);
  // FerretDB answers any filter but `{_id: value}` with a full scan: one scan, filtered here.
  const wanted = new Set(ids);
  return (await parcels.find({}).toArray()).filter((doc) => wanted.has(doc._id));
}

export async function checkEffects(
  ctx: BenchContext,
  plan: ScanPlan,
  published?: ReadonlySet<string>,
): Promise<EffectsCheck> {
  const docs = await loadParcels(ctx, plan.numbers);
  let effects = 0;
  let duplicates = 0;
  let pendingOutbox = 0;
  let storedOutbox = 0;
  for (const doc of docs) {
    const ids = (doc.events ?? []).map((e) => e.eventId);
    effects += ids.length;
    duplicates += ids.length - new Set(ids).size;
    for (const entry of doc.outbox ?? []) {
      storedOutbox += 1;
      const id = (entry as { id?: unknown } | null)?.id;
      if (!published || typeof id !== 'string' || !published.has(id)) pendingOutbox += 1;
    }
  }
  const deadLettered = await ctx.kafka.highWatermark(dlqTopic(Topics.PostalScans));
  return { parcels: docs.length, effects, duplicates, pendingOutbox, storedOutbox, deadLettered };
}

/**
 * Produces the plan to postal.scans and waits until tracking has committed every offset (it commits
 * only after the parcel writes and the outbox publish) and every event still in a parcel's outbox
 * is on `tracking.events` (published; its removal from the store may come later).
 */
export async function runIngest(ctx: BenchContext, plan: ScanPlan): Promise<IngestRun> {
  const tap = await tapPublishedIds(ctx);
  try {
    return await ingestAndCheck(ctx, plan, tap.ids);
  } finally {
    await tap.stop();
  }
}

async function ingestAndCheck(ctx: BenchContext, plan: ScanPlan, published: ReadonlySet<string>): Promise<IngestRun> {
  const t0 = performance.now();
  await ctx.kafka.sendAll(Topics.PostalScans, plan.messages);
  ctx.log(`produced ${plan.messages.length} scans in ${seconds(performance.now() - t0)}`);
  await ctx.kafka.waitCaughtUp(ConsumerGroups.Tracking, Topics.PostalScans, ctx.config.settleTimeoutMs);
  // Offsets are committed after the outbox flush, so every event is normally published by now.
  let ms = performance.now() - t0;
  let check = await checkEffects(ctx, plan, published);
  const deadline = Date.now() + 60_000;
  while (check.pendingOutbox > 0 && Date.now() < deadline) {
    await sleep(200);
    check = await checkEffects(ctx, plan, published);
    ms = performance.now() - t0;
  }
  if (check.pendingOutbox > 0) throw new Error(`${check.pendingOutbox} outbox entries still unpublished after 60 s`);
  ctx.log(`ingest: ${check.storedOutbox} published outbox entries still stored at the end (pruned later)`);
  if (check.effects !== plan.distinct || check.duplicates > 0) {
    throw new Error(
      `expected ${plan.distinct} stored scans without duplicates, found ${check.effects} (${check.duplicates} duplicates, ${check.deadLettered} dead-lettered)`,
    );
  }
  return { plan, ms, eventsPerS: plan.messages.length / (ms / 1000) };
}

/** One replace-upsert per scan, of the parcel document tracking ended with, in bulk writes of `batchSize`. */
async function driverBaseline(ctx: BenchContext, plan: ScanPlan): Promise<number> {
  const finals = new Map((await loadParcels(ctx, plan.numbers)).map((d) => [d._id, d]));
  const db = ctx.mongo.db(`baseline_${ctx.stack.id}`);
  const collection = db.collection<{ _id: string }>(PARCELS_COLLECTION);
  const ops: mongo.AnyBulkWriteOperation<{ _id: string }>[] = plan.messages.map((m) => {
    const id = String(m.key);
    const doc = finals.get(id) ?? { _id: id };
    return { replaceOne: { filter: { _id: id }, replacement: doc, upsert: true } };
  });
  const t0 = performance.now();
  for (const batch of chunks(ops, ctx.config.batchSize)) await collection.bulkWrite(batch, { ordered: false });
  const ms = performance.now() - t0;
  await db.dropDatabase().catch(() => undefined);
  return plan.messages.length / (ms / 1000);
}

export let oneInstanceIngest: IngestRun | undefined;

export async function scanIngestScenario(ctx: BenchContext): Promise<void> {
  const { config } = ctx;
  const plan = planScans({ range: 1, parcels: config.parcels, total: config.scans });
  ctx.log(`scan ingest: ${plan.messages.length} scans (${plan.distinct} distinct) over ${plan.numbers.length} parcels`);
  const run = await ctx.profileCpu('ingest', () => runIngest(ctx, plan));
  oneInstanceIngest = run;
  ctx.log(`scan ingest: done in ${seconds(run.ms)}; driver baseline…`);
  const baseline = await driverBaseline(ctx, plan);
  ctx.results.add({
    metric: 'scan_ingest_events_per_s',
    value: run.eventsPerS,
    unit: 'events/s',
    baseline: `MongoDB driver bulk replace-upserts into the same FerretDB, batches of ${config.batchSize}`,
    baselineValue: baseline,
    goal: 'ratio >= 0.5',
    note: `${plan.messages.length} scans (5% repeats, 5% out of order) over ${plan.numbers.length} parcels, ${config.partitions} partitions, produce to offsets committed and outbox empty`,
  });
}
