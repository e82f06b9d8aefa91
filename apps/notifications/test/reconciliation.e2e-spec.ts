import type { OutboxRelay } from '@app/messaging';
import { randomUUID } from 'node:crypto';
import mongoose, { type Connection, type Model } from 'mongoose';
import { loadNotificationsConfig } from '../src/config';
import { ReconciliationService } from '../src/delivery/reconciliation.service';
import { MessageRecord, MessageSchema } from '../src/messages/message.schema';
import { MessagesRepository } from '../src/messages/messages.repository';
import { DeliveryQueues } from '../src/queues/delivery-queues';
import { RedisConnections } from '../src/queues/redis-connections';
import { Clock } from '@app/platform';

jest.setTimeout(60_000);

const run = randomUUID().slice(0, 8);
const HOUR_MS = 60 * 60 * 1000;

/**
 * Reconciliation on the real FerretDB and Redis: records whose job Redis lost are re-enqueued, all
 * of them however many pages they fill, and SMS held for quiet hours wait until they are due.
 */
describe('reconciliation (real FerretDB and Redis)', () => {
  let connection: Connection;
  let model: Model<MessageRecord>;
  let redis: RedisConnections;
  let queues: DeliveryQueues;
  let reconciliation: ReconciliationService;
  // Nothing here writes an outbox: the relay is never asked to publish.
  const relay = { watch: () => undefined } as unknown as OutboxRelay;

  beforeAll(async () => {
    const config = loadNotificationsConfig({
      ...process.env,
      REDIS_PREFIX: `e2e-reconcile-${run}:`,
      RECONCILE_INTERVAL_MS: '0',
    });
    connection = await mongoose
      .createConnection(config.MONGO_URL, { dbName: `notifications_reconcile_${run}` })
      .asPromise();
    model = connection.model<MessageRecord>(MessageRecord.name, MessageSchema);
    redis = new RedisConnections(config);
    queues = new DeliveryQueues(config, redis);
    reconciliation = new ReconciliationService(config, new MessagesRepository(model, relay), queues, new Clock());
  });

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
    await model.insertMany([...held, ...due, ...settled, recent]);

    expect(await reconciliation.reconcile(10_000, 3)).toBe(due.length);
    for (const message of due) {
      expect(await queues.jobState(message.channel as 'email' | 'sms', message._id)).toBeDefined();
    }
    for (const message of [...held, ...settled, recent]) {
      expect(await queues.jobState(message.channel as 'email' | 'sms', message._id)).toBeUndefined();
    }
    expect((await model.findById('planned').lean<MessageRecord>())?.status).toBe('queued');

    // Their jobs are in Redis now: a second run finds nothing missing.
    expect(await reconciliation.reconcile(10_000, 3)).toBe(0);
  });
});
