import { ConsumerGroups, dlqTopic, Topics } from '@app/contracts';
import { Redis } from 'ioredis';
import type { mongo } from 'mongoose';
import { PARCEL_OUTBOX_PENDING_KEY } from '../../apps/tracking/src/parcels/parcel-outbox-pending';
import type { BenchContext } from '../support/context';
import { seconds, sleep } from '../support/context';
import { planScans, type ScanPlan } from '../support/scans';

export const PARCELS_COLLECTION = 'parcels';

interface StoredParcel {
  _id: string;
  events?: { eventId: string }[];
  outbox?: unknown[];
  outboxUnmarked?: boolean;
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
  /** outbox entries not published yet: those of parcels in the pending set or flagged `outboxUnmarked` */
  pendingOutbox: number;
  deadLettered: number;
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

/**
 * The parcels whose outbox entries may be unpublished. Tracking's parcels are pruned by their next
 * write (libs/messaging README, "Pruned by the next write"): a parcel keeps its published entries
 * until then, and only the members of the pending set and the flagged parcels hold unpublished ones.
 */
async function unpublishedParcels(ctx: BenchContext, docs: readonly StoredParcel[]): Promise<Set<string>> {
  const redis = new Redis(ctx.stack.env.REDIS_URL, { lazyConnect: true });
  try {
    await redis.connect();
    const key = `${ctx.stack.env.REDIS_PREFIX ?? ''}${PARCEL_OUTBOX_PENDING_KEY}`;
    const withEntries = docs.filter((d) => (d.outbox?.length ?? 0) > 0).map((d) => d._id);
    const unpublished = new Set(docs.filter((d) => d.outboxUnmarked === true).map((d) => d._id));
    for (const part of chunks(withEntries, 1000)) {
      const members = part.length > 0 ? await redis.smismember(key, ...part) : [];
      for (const [i, id] of part.entries()) if (members[i] === 1) unpublished.add(id);
    }
    return unpublished;
  } finally {
    redis.disconnect();
  }
}

export async function checkEffects(ctx: BenchContext, plan: ScanPlan): Promise<EffectsCheck> {
  const docs = await loadParcels(ctx, plan.numbers);
  const unpublished = await unpublishedParcels(ctx, docs);
  let effects = 0;
  let duplicates = 0;
  let pendingOutbox = 0;
  for (const doc of docs) {
    const ids = (doc.events ?? []).map((e) => e.eventId);
    effects += ids.length;
    duplicates += ids.length - new Set(ids).size;
    if (unpublished.has(doc._id)) pendingOutbox += doc.outbox?.length ?? 0;
  }
  const deadLettered = await ctx.kafka.highWatermark(dlqTopic(Topics.PostalScans));
  return { parcels: docs.length, effects, duplicates, pendingOutbox, deadLettered };
}

/**
 * Produces the plan to postal.scans and waits until tracking has committed every offset (it commits
 * only after the parcel writes and the outbox publish) and no parcel has a pending outbox entry.
 */
export async function runIngest(ctx: BenchContext, plan: ScanPlan): Promise<IngestRun> {
  const t0 = performance.now();
  await ctx.kafka.sendAll(Topics.PostalScans, plan.messages);
  ctx.log(`produced ${plan.messages.length} scans in ${seconds(performance.now() - t0)}`);
  await ctx.kafka.waitCaughtUp(ConsumerGroups.Tracking, Topics.PostalScans, ctx.config.settleTimeoutMs);
  // Offsets are committed after the outbox flush, so no entry is unpublished by now, normally.
  let ms = performance.now() - t0;
  let check = await checkEffects(ctx, plan);
  const deadline = Date.now() + 60_000;
  while (check.pendingOutbox > 0 && Date.now() < deadline) {
    await sleep(200);
    check = await checkEffects(ctx, plan);
    ms = performance.now() - t0;
  }
  if (check.pendingOutbox > 0) throw new Error(`${check.pendingOutbox} outbox entries still unpublished after 60 s`);
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
    note: `${plan.messages.length} scans (5% repeats, 5% out of order) over ${plan.numbers.length} parcels, ${config.partitions} partitions, produce to offsets committed and no outbox entry unpublished`,
  });
}
