import type { OutboxRelay } from '@app/messaging';
import { randomUUID } from 'node:crypto';
import type { PendingListEntry } from '@app/persistence';
import mongoose, { type Connection } from 'mongoose';
import { loadNotificationsConfig } from '../src/config';
import { ReconciliationService } from '../src/delivery/reconciliation.service';
import { MessageRecord, MessageSchema } from '../src/messages/message.schema';
import { MessagesRepository } from '../src/messages/messages.repository';
import { UNSETTLED_COLLECTIONS } from '../src/messages/unsettled-messages';
import { type DeliveryChannel, DeliveryQueues } from '../src/queues/delivery-queues';
import { RedisConnections } from '../src/queues/redis-connections';
import { Clock } from '@app/platform';

jest.setTimeout(60_000);

const run = randomUUID().slice(0, 8);
const HOUR_MS = 60 * 60 * 1000;

/**
 * Reconciliation on the real FerretDB and Redis: records whose job Redis lost are re-enqueued, all
 * of them however many pages they fill, and SMS held for quiet hours wait until they are due. It
 * reads the lists of unsettled messages, filled once from a scan of the records and kept by the
 * repository's writes, and reads records by `_id` only.
 */
describe('reconciliation (real FerretDB and Redis)', () => {
  let connection: Connection;
  let config: ReturnType<typeof loadNotificationsConfig>;
  let redis: RedisConnections;
  let queues: DeliveryQueues;
  // Nothing here writes an outbox: the relay is never asked to publish.
  const relay = { watch: () => undefined } as unknown as OutboxRelay;
  /** the filters of the reads of `messages` in every database of this run */
  const messageReads: { db: string; filter: unknown }[] = [];

  beforeAll(async () => {
    config = loadNotificationsConfig({
      ...process.env,
      REDIS_PREFIX: `e2e-reconcile-${run}:`,
      RECONCILE_INTERVAL_MS: '0',
    });
    connection = await mongoose
      .createConnection(config.MONGO_URL, { dbName: `notifications_reconcile_${run}`, monitorCommands: true })
      .asPromise();
    connection.getClient().on('commandStarted', (event) => {
      const command = event.command as Record<string, unknown>;
      if (['find', 'aggregate', 'count'].includes(event.commandName) && command[event.commandName] === 'messages') {
        messageReads.push({ db: event.databaseName, filter: command.filter ?? command.pipeline ?? command.query });
      }
    });
    redis = new RedisConnections(config);
    queues = new DeliveryQueues(config, redis);
  });

  /** A repository and a reconciliation over a database of their own (so the lists start empty). */
  function inDatabase(name: string) {
    const db = connection.useDb(`notifications_reconcile_${run}_${name}`);
    const model = db.model<MessageRecord>(MessageRecord.name, MessageSchema);
    const repo = new MessagesRepository(model, relay);
    const reconciliation = new ReconciliationService(config, repo, queues, new Clock());
    const listed = async (channel: DeliveryChannel) =>
      (await db.db!.collection<PendingListEntry>(UNSETTLED_COLLECTIONS[channel]).find({}).toArray())
        .map((e) => e._id)
        .filter((id) => !id.startsWith('#'))
        .sort();
    const reads = () => messageReads.filter((r) => r.db === db.name).map((r) => r.filter);
    return { db, model, repo, reconciliation, listed, reads };
  }

  afterAll(async () => {
    await queues?.onApplicationShutdown();
    await redis?.onApplicationShutdown();
    await connection?.close();
  });

  function record(id: string, patch: Partial<MessageRecord>): MessageRecord {
    const old = new Date(Date.now() - HOUR_MS);
    return {
      _id: id,
      userId: 'u_1',
      kind: 'available_for_pickup',
      channel: 'email',
      to: 'someone@example.com',
      subject: 'Your parcel',
      text: 'is available for pickup',
      html: null,
      link: null,
      sourceId: randomUUID(),
      sourceType: 'ParcelArrived',
      status: 'queued',
      attempts: 0,
      notBefore: null,
      providerMessageId: null,
      lastError: null,
      readAt: null,
      createdAt: old,
      updatedAt: old,
      sentAt: null,
      ...patch,
    };
  }

  it('re-enqueues every lost job across pages and leaves SMS held for quiet hours alone until due', async () => {
    const { model, reconciliation, listed, reads } = inDatabase('pages');
    const longAgo = (minutes: number) => new Date(Date.now() - 2 * HOUR_MS + minutes * 60_000);
    const tomorrow = new Date(Date.now() + 10 * HOUR_MS);
    // The held SMS are the oldest records: with one unordered page they used to fill it every run.
    const held = Array.from({ length: 4 }, (_, i) =>
      record(`held-${i}`, { channel: 'sms', to: '+12025550101', notBefore: tomorrow, updatedAt: longAgo(i) }),
    );
    const due = [
      ...Array.from({ length: 5 }, (_, i) => record(`email-${i}`, { updatedAt: longAgo(10 + i) })),
      record('sms-due', { channel: 'sms', to: '+12025550101', notBefore: longAgo(0), updatedAt: longAgo(20) }),
      record('planned', { status: 'planned', updatedAt: longAgo(21) }),
      // Same updatedAt as the next: the cursor's _id tie-break keeps both.
      record('tie-a', { updatedAt: longAgo(30) }),
      record('tie-b', { updatedAt: longAgo(30) }),
    ];
    const settled = [record('sent', { status: 'sent' }), record('failed', { status: 'failed' })];
    const recent = record('recent', { updatedAt: new Date() });
    // Written before the lists existed (an earlier version): the first run fills them from a scan.
    await model.insertMany([...held, ...due, ...settled, recent]);

    expect(await reconciliation.reconcile(10_000, 3)).toBe(due.length);
    expect(await listed('email')).toEqual(
      [...due.filter((m) => m.channel === 'email'), recent].map((m) => m._id).sort(),
    );
    expect(await listed('sms')).toEqual([...held.map((m) => m._id), 'sms-due'].sort());
    for (const message of due) {
      expect(await queues.jobState(message.channel as 'email' | 'sms', message._id)).toBeDefined();
    }
    for (const message of [...held, ...settled, recent]) {
      expect(await queues.jobState(message.channel as 'email' | 'sms', message._id)).toBeUndefined();
    }
    expect((await model.findById('planned').lean<MessageRecord>())?.status).toBe('queued');

    // Their jobs are in Redis now: a second run finds nothing missing.
    const scans = reads().length;
    expect(await reconciliation.reconcile(10_000, 3)).toBe(0);
    // The lists were filled once: the second run read records by `_id` only.
    const later = reads().slice(scans);
    expect(later.length).toBeGreaterThan(0);
    for (const filter of later) expect(Object.keys(filter as object)).toEqual(['_id']);
  });

  it('keeps the lists by the writes, and drops an entry whose record was settled or never written', async () => {
    const { db, model, repo, reconciliation, listed } = inDatabase('writes');
    // The lists exist (filled from an empty collection) before anything is written.
    expect(await reconciliation.reconcile(0)).toBe(0);
    const [sent, failed, settledBehind, lost] = ['sent', 'failed', 'behind', 'lost'].map((id) => record(id, {}));
    const sms = record('sms', { channel: 'sms', to: '+12025550101' });
    const inApp = record('inbox', { channel: 'in_app', to: null, status: 'sent' });
    for (const m of [sent, failed, settledBehind, lost, sms, inApp]) expect(await repo.insertIfAbsent(m)).toBeNull();
    expect(await listed('email')).toEqual(['behind', 'failed', 'lost', 'sent']);
    expect(await listed('sms')).toEqual(['sms']);
    expect(await repo.countUnsettled()).toEqual([
      { channel: 'email', status: 'queued', count: 4 },
      { channel: 'sms', status: 'queued', count: 1 },
    ]);

    await repo.markSentPublished('sent', 'email', { providerMessageId: null, attempts: 1 }, new Date());
    await repo.markFailed('failed', 'email', 'refused', new Date(), 3);
    // Settled while listed, with no removal after it (a crash between the two).
    await model.updateOne({ _id: 'behind' }, { $set: { status: 'sent' } });
    // Listed long ago, never inserted (the insert failed).
    await db
      .collection(UNSETTLED_COLLECTIONS.email)
      .insertOne({ _id: 'never' as never, listedAt: new Date(Date.now() - HOUR_MS) });
    await repo.flushed();
    expect(await listed('email')).toEqual(['behind', 'lost', 'never']);

    // A replay of a settled message lists it again for a moment only.
    expect(await repo.insertIfAbsent(record('sent', {}))).toMatchObject({ status: 'sent' });
    await repo.flushed();
    expect(await listed('email')).toEqual(['behind', 'lost', 'never']);

    // Redis never had the jobs of `lost` and `sms`: they are re-enqueued, the settled one is not.
    expect(await reconciliation.reconcile(0)).toBe(2);
    expect(await queues.jobState('email', 'lost')).toBeDefined();
    expect(await queues.jobState('sms', 'sms')).toBeDefined();
    expect(await queues.jobState('email', 'behind')).toBeUndefined();
    expect(await listed('email')).toEqual(['lost']);
    expect(await listed('sms')).toEqual(['sms']);
  });

  it('re-enqueues a job Redis lost, and only that one', async () => {
    const { repo, reconciliation } = inDatabase('lost');
    const kept = record(`kept-${run}`, {});
    const lost = record(`lost-${run}`, {});
    for (const m of [kept, lost]) {
      await repo.insertIfAbsent(m);
      await queues.enqueue('email', m._id, null, new Date());
    }
    // Redis loses one job (a restart without its last second of AOF).
    await queues.queues.email.remove(lost._id);
    expect(await queues.jobState('email', lost._id)).toBeUndefined();

    expect(await reconciliation.reconcile(0)).toBe(1);
    expect(await queues.jobState('email', lost._id)).toBeDefined();
    expect(await queues.jobState('email', kept._id)).toBeDefined();
  });
});
