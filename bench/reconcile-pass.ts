/**
 * What notifications' periodic reads of the message records cost FerretDB (SQLite backend) at size:
 * RECORDS records, of which UNSETTLED are still queued (half email, half SMS) and the rest sent.
 * In the same run, alternated ROUNDS times: the reconciliation pass's reads as they were (the filter
 * on status/updatedAt/notBefore, paged 500 at a time: FerretDB reads every record for it) and as
 * they are (the lists of unsettled messages, each record by `_id`), the whole new pass
 * (`ReconciliationService.reconcile`, with its Redis job checks), and the metrics' counts (the
 * aggregate over every record, now hourly, and the unsettled counts from the lists, every 15 s).
 * Each with FerretDB's CPU time (/proc) and the wall time. On infrastructure of its own (free
 * ports, `.data/reconcile-pass`), FerretDB and Redis only:
 *
 *   node -r ./bench/ts-register.js bench/reconcile-pass.ts [records] [unsettled] [rounds]
 */
import { Clock } from '@app/platform';
import type { OutboxRelay } from '@app/messaging';
import mongoose, { type QueryFilter } from 'mongoose';
import { loadNotificationsConfig } from '../apps/notifications/src/config';
import { ReconciliationService } from '../apps/notifications/src/delivery/reconciliation.service';
import { MessageRecord, MessageSchema } from '../apps/notifications/src/messages/message.schema';
import { MessagesRepository } from '../apps/notifications/src/messages/messages.repository';
import { DeliveryQueues } from '../apps/notifications/src/queues/delivery-queues';
import { RedisConnections } from '../apps/notifications/src/queues/redis-connections';
import { devSecrets } from '../tools/dev-secrets';
import { startStoreOnly, timedCpu as timed } from './support/store-only';
import { percentile } from './support/results';

const median = (values: number[]) => percentile(values, 50);

const RECORDS = Number(process.argv[2] ?? 20_000);
const UNSETTLED = Number(process.argv[3] ?? 20);
const ROUNDS = Number(process.argv[4] ?? 3);
const PAGE = 500;

async function main(): Promise<void> {
  // No Kafka here: the principal only has to pass the config's validation.
  const kafka = { KAFKA_SASL_USERNAME: 'bench', KAFKA_SASL_PASSWORD: 'bench' };
  const { infra, ferretPid: ferret } = await startStoreOnly('reconcile-pass');
  let config: ReturnType<typeof loadNotificationsConfig>;
  let connection: mongoose.Connection;
  try {
    config = loadNotificationsConfig({
      ...process.env,
      ...devSecrets(process.env),
      PORTAL_ENV: 'development',
      ...infra.env,
      ...kafka,
      REDIS_PREFIX: 'bench-reconcile:',
      RECONCILE_INTERVAL_MS: '0',
    });
    connection = await mongoose.createConnection(config.MONGO_URL, { dbName: 'notifications' }).asPromise();
  } catch (error) {
    await infra.stop();
    throw error;
  }
  const redis = new RedisConnections(config);
  const queues = new DeliveryQueues(config, redis);
  try {
    const model = connection.model<MessageRecord>(MessageRecord.name, MessageSchema);
    const repo = new MessagesRepository(model, { watch: () => undefined } as unknown as OutboxRelay);
    const reconciliation = new ReconciliationService(config, repo, queues, new Clock());
    const hourAgo = new Date(Date.now() - 3_600_000);
    // Email-sized records: a 2 KB body besides the text, as the arrival emails have.
    const html = `<html><body>${'<p>Your parcel is available for pickup at the post office.</p>'.repeat(32)}</body></html>`;
    const every = Math.max(1, Math.floor(RECORDS / Math.max(1, UNSETTLED)));
    for (let i = 0; i < RECORDS; i += 1000) {
      const page: MessageRecord[] = [];
      for (let j = i; j < Math.min(i + 1000, RECORDS); j++) {
        const unsettled = j % every === 0 && j / every < UNSETTLED;
        const sms = unsettled && (j / every) % 2 === 1;
        page.push({
          _id: `m${String(j).padStart(9, '0')}`,
          userId: `u${j % 500}`,
          kind: 'available_for_pickup',
          channel: sms ? 'sms' : 'email',
          to: sms ? '+12025550101' : `user${j % 500}@bench.example`,
          subject: 'Your parcel is available for pickup',
          text: 'Your parcel is available for pickup at the post office.',
          html: sms ? null : html,
          link: null,
          sourceId: `event-${j}`,
          sourceType: 'ParcelArrived',
          correlationId: null,
          sourceOccurredAt: hourAgo,
          status: unsettled ? 'queued' : 'sent',
          attempts: unsettled ? 0 : 1,
          notBefore: null,
          providerMessageId: unsettled ? null : `<m${j}@bench>`,
          lastError: null,
          readAt: null,
          createdAt: hourAgo,
          updatedAt: hourAgo,
          sentAt: unsettled ? null : hourAgo,
        });
      }
      await model.collection.insertMany(page as never[], { ordered: false });
    }
    console.error(`seeded ${RECORDS} records, ${UNSETTLED} unsettled`);

    /** The reconciliation pass's reads before the lists: the filter, paged by (updatedAt, _id). */
    const oldPassReads = async (): Promise<number> => {
      const now = new Date();
      const before = new Date(now.getTime() - 10_000);
      let found = 0;
      let after: Pick<MessageRecord, '_id' | 'updatedAt'> | undefined;
      for (;;) {
        const conditions: QueryFilter<MessageRecord>[] = [
          { status: { $in: ['planned', 'queued', 'sending'] }, updatedAt: { $lt: before } },
          { $or: [{ notBefore: null }, { notBefore: { $lte: now } }] },
        ];
        if (after) {
          conditions.push({
            $or: [{ updatedAt: { $gt: after.updatedAt } }, { updatedAt: after.updatedAt, _id: { $gt: after._id } }],
          });
        }
        const page = await model
          .find({ $and: conditions })
          .sort({ updatedAt: 1, _id: 1 })
          .limit(PAGE)
          .lean<MessageRecord[]>()
          .exec();
        found += page.length;
        const last = page.at(-1);
        if (page.length < PAGE || !last) return found;
        after = { _id: last._id, updatedAt: last.updatedAt };
      }
    };
    const newPassReads = async (): Promise<number> => {
      const now = new Date();
      let found = 0;
      for await (const page of repo.unsettledDue(new Date(now.getTime() - 10_000), now, PAGE)) found += page.length;
      return found;
    };

    // The lists' one fill (a scan each), measured on its own.
    const fill = await timed(ferret, newPassReads);
    console.log(
      `first read of the lists (fills them: one scan per channel): ${fill.result} found, ${fill.ms.toFixed(0)} ms, FerretDB CPU ${fill.cpuMs.toFixed(0)} ms`,
    );

    const passes: Record<string, () => Promise<number>> = {
      'reconciliation reads, before (filter on the records)': oldPassReads,
      'reconciliation reads, after (lists, records by _id)': newPassReads,
      'reconciliation pass, after (with its Redis job checks)': () => reconciliation.reconcile(10_000),
      'metrics: aggregate over every record (was every 15 s, now hourly)': async () =>
        (await repo.countByChannelAndStatus()).length,
      'metrics: unsettled counts from the lists (every 15 s)': async () => (await repo.countUnsettled()).length,
    };
    const rows = new Map<string, { ms: number; cpuMs: number; result: number }[]>();
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, pass] of Object.entries(passes)) {
        rows.set(name, [...(rows.get(name) ?? []), await timed(ferret, pass)]);
      }
    }
    for (const [name, runs] of rows) {
      console.log(
        `${name}, ${UNSETTLED} unsettled in ${RECORDS}: answered ${runs[0].result}, median ${median(
          runs.map((r) => r.ms),
        ).toFixed(1)} ms, FerretDB CPU ${median(runs.map((r) => r.cpuMs)).toFixed(0)} ms ` +
          `(CPU per run: ${runs.map((r) => r.cpuMs.toFixed(0)).join(', ')} ms)`,
      );
    }
  } finally {
    await queues.onApplicationShutdown();
    await redis.onApplicationShutdown();
    await connection.close();
    await infra.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
