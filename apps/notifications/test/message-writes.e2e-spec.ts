import type { EventEnvelope } from '@app/contracts';
import type { EventPublisher, OutboxRelay } from '@app/messaging';
import { MailpitClient } from '@app/testing';
import { randomUUID } from 'node:crypto';
import mongoose, { type Connection, type Model } from 'mongoose';
import { loadNotificationsConfig } from '../src/config';
import { DeliveryMetrics } from '../src/delivery/delivery-metrics';
import { DeliveryService } from '../src/delivery/delivery.service';
import { SmtpEmailSender } from '../src/delivery/email/smtp-email-sender';
import type { SmsSender } from '../src/delivery/sms/sms-sender';
import { MessageRecord, MessageSchema, type MessageStatus } from '../src/messages/message.schema';
import { MessagesRepository } from '../src/messages/messages.repository';
import { notificationSentEvent, notificationSentEventId } from '../src/messages/notification-sent.event';
import { SentEvents } from '../src/messages/sent-events';
import { UNSETTLED_COLLECTIONS } from '../src/messages/unsettled-messages';
import { carriedMessage } from '../src/queues/job-options';
import { Clock } from '@app/platform';

jest.setTimeout(60_000);

const run = randomUUID().slice(0, 8);
const WRITES = new Set(['insert', 'update', 'findAndModify', 'delete']);
const READS = new Set(['find', 'aggregate', 'count']);

/**
 * The message record's state transitions on the real FerretDB, with real SMTP (Mailpit): an email
 * costs two writes of its record (inserted `queued`, then `sent`; no write claim, no outbox removal:
 * its NotificationSent is published before the `sent` write) and two of its entry in the list of
 * unsettled emails (listed before the insert, unlisted after `sent`; each grouped with the other
 * messages' in one command), a settled record is never sent again,
 * and a failed attempt writes only when it is the last. Kafka is replaced by a recorder that
 * acknowledges or refuses; when it refuses, the event goes into the record's outbox with the `sent`
 * write, and publishing it (and removing it) is the relay's business, replaced by a recorder too.
 */
describe('message record writes (real FerretDB and Mailpit)', () => {
  let connection: Connection;
  let model: Model<MessageRecord>;
  let repo: MessagesRepository;
  let smtp: SmtpEmailSender;
  let refused: SmtpEmailSender;
  const mailpit = new MailpitClient();
  /** `<command> <collection>` of every write to this database (the records and the write claims) */
  const writes: string[] = [];
  /** `<command> <collection>` of every read of this database */
  const reads: string[] = [];
  const flushed: unknown[][] = [];
  const published: EventEnvelope[] = [];
  let kafkaUp = true;
  const publisher = {
    publish: (envelopes: EventEnvelope[]) => {
      if (!kafkaUp) return Promise.reject(new Error('broker down'));
      published.push(...envelopes);
      return Promise.resolve();
    },
  } as unknown as EventPublisher;
  const relay = {
    watch: () => undefined,
    flushWritten: (_model: unknown, docs: { outbox: unknown[] }[]) => {
      flushed.push(docs.flatMap((d) => d.outbox));
      return Promise.resolve();
    },
  } as unknown as OutboxRelay;

  beforeAll(async () => {
    const config = loadNotificationsConfig(process.env);
    connection = await mongoose
      .createConnection(config.MONGO_URL, { dbName: `notifications_writes_${run}`, monitorCommands: true })
      .asPromise();
    connection.getClient().on('commandStarted', (event) => {
      const target = (event.command as Record<string, unknown>)[event.commandName];
      if (WRITES.has(event.commandName)) writes.push(`${event.commandName} ${String(target)}`);
      if (READS.has(event.commandName)) reads.push(`${event.commandName} ${String(target)}`);
    });
    model = connection.model<MessageRecord>(MessageRecord.name, MessageSchema);
    await model.init();
    repo = new MessagesRepository(model, relay);
    smtp = new SmtpEmailSender({ url: config.SMTP_URL, from: config.MAIL_FROM, poolSize: 2 });
    // Nothing listens on port 1: every send fails as with a relay that is down.
    refused = new SmtpEmailSender({ url: 'smtp://127.0.0.1:1', from: config.MAIL_FROM, poolSize: 1 });
  });

  afterAll(async () => {
    smtp?.onApplicationShutdown();
    refused?.onApplicationShutdown();
    await connection?.close();
  });

  // A new SentEvents each time: one that saw Kafka fail sends nothing for a while.
  const delivery = (sender: SmtpEmailSender) =>
    new DeliveryService(repo, sender, {} as SmsSender, new Clock(), new DeliveryMetrics(), new SentEvents(publisher));

  function email(status: MessageStatus = 'queued'): MessageRecord {
    const now = new Date();
    const id = randomUUID().replace(/-/g, '');
    return {
      _id: id,
      userId: 'u_1',
      kind: 'available_for_pickup',
      channel: 'email',
      to: `writes-${id.slice(0, 12)}@${run}.example`,
      subject: `Your parcel ${id.slice(0, 8)} is available for pickup`,
      text: 'at the post office',
      html: null,
      link: null,
      sourceId: randomUUID(),
      sourceType: 'ParcelArrived',
      status,
      attempts: 0,
      notBefore: null,
      providerMessageId: null,
      lastError: null,
      readAt: null,
      createdAt: now,
      updatedAt: now,
      sentAt: null,
    };
  }

  const stored = async (id: string) => (await model.findById(id).lean<MessageRecord>())!;
  const received = async (to: string) => (await mailpit.messages(to)).length;

  const listed = async (id: string) =>
    (await connection.db!.collection(UNSETTLED_COLLECTIONS.email).findOne({ _id: id as never })) !== null;

  it('writes an email twice in all: inserted queued, then sent, its NotificationSent published before; listed meanwhile', async () => {
    writes.length = 0;
    flushed.length = 0;
    published.length = 0;
    const record = email();
    expect(await repo.insertIfAbsent(record)).toBeNull();
    expect(await listed(record._id)).toBe(true);
    await expect(delivery(smtp).deliver(record._id, { number: 1, lastAttempt: false })).resolves.toBe('sent');

    await repo.flushed();
    expect(writes).toEqual([
      `insert ${UNSETTLED_COLLECTIONS.email}`,
      'insert messages',
      'update messages',
      `delete ${UNSETTLED_COLLECTIONS.email}`,
    ]);
    expect(await listed(record._id)).toBe(false);
    const sent = await stored(record._id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, lastError: null, outbox: [] });
    expect(sent.providerMessageId).toContain(record._id);
    expect(published).toEqual([
      expect.objectContaining({ type: 'NotificationSent', id: notificationSentEventId(record._id) }),
    ]);
    expect(flushed).toEqual([]);
    expect(await received(record.to!)).toBe(1);
  });

  it('groups the inserts and the sent writes of messages handled at once: one command each, no read', async () => {
    const records = Array.from({ length: 10 }, () => email());
    const existing = email();
    await repo.insertIfAbsent(existing);
    writes.length = 0;
    reads.length = 0;
    published.length = 0;
    // A Kafka batch's events: planned together, one of them a replay of a stored message.
    const inserted = await Promise.all([...records, existing].map((r) => repo.insertIfAbsent(r)));
    expect(inserted.slice(0, 10)).toEqual(records.map(() => null));
    expect(inserted[10]).toMatchObject({ _id: existing._id, status: 'queued' });
    expect(writes).toEqual([`insert ${UNSETTLED_COLLECTIONS.email}`, 'insert messages']);
    // Only the replay's existing record was read.
    expect(reads).toEqual(['find messages']);

    writes.length = 0;
    reads.length = 0;
    // The worker's slots: each job's first start, carrying the record just inserted, reads nothing.
    const service = delivery(smtp);
    const outcomes = await Promise.all(
      records.map((r) => service.deliver(r._id, { number: 1, lastAttempt: false }, carriedMessage(r))),
    );
    expect(outcomes).toEqual(records.map(() => 'sent'));
    await repo.flushed();
    expect(reads).toEqual([]);
    // One point write each, in as many commands as the sends' ends were apart (at most one each),
    // and as many removals from the list.
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.length).toBeLessThanOrEqual(2 * records.length);
    expect(new Set(writes)).toEqual(new Set(['update messages', `delete ${UNSETTLED_COLLECTIONS.email}`]));
    for (const r of records) {
      expect(await stored(r._id)).toMatchObject({ status: 'sent', attempts: 1, outbox: [] });
      expect(await received(r.to!)).toBe(1);
    }
    expect(published).toHaveLength(records.length);

    // Writes handed over together (slots whose sends ended together) go in one update command.
    const more = Array.from({ length: 10 }, () => email());
    await Promise.all(more.map((r) => repo.insertIfAbsent(r)));
    writes.length = 0;
    const at = new Date();
    const marked = await Promise.all(
      more.map((r) => repo.markSentPublished(r._id, 'email', { providerMessageId: `<${r._id}@x>`, attempts: 1 }, at)),
    );
    expect(marked).toEqual(more.map(() => true));
    await repo.flushed();
    expect(writes).toEqual(['update messages', `delete ${UNSETTLED_COLLECTIONS.email}`]);
    for (const r of more)
      expect(await stored(r._id)).toMatchObject({ status: 'sent', providerMessageId: `<${r._id}@x>` });
  });

  it('keeps NotificationSent in the outbox of the sent write when Kafka refuses it', async () => {
    const record = email();
    await repo.insertIfAbsent(record);
    writes.length = 0;
    flushed.length = 0;
    published.length = 0;
    kafkaUp = false;
    try {
      await expect(delivery(smtp).deliver(record._id, { number: 1, lastAttempt: false })).resolves.toBe('sent');
    } finally {
      kafkaUp = true;
    }
    await repo.flushed();
    // The conditional write under a write claim, as before the direct publish.
    expect(writes.filter((w) => w.endsWith(' messages'))).toEqual(['update messages']);
    expect(published).toEqual([]);
    expect(flushed).toEqual([
      [expect.objectContaining({ type: 'NotificationSent', id: notificationSentEventId(record._id) })],
    ]);
    const sent = await stored(record._id);
    expect(sent.status).toBe('sent');
    expect(sent.outbox).toEqual([expect.objectContaining({ type: 'NotificationSent' })]);
    expect(await received(record.to!)).toBe(1);
  });

  it('never sends a settled record again, and writes nothing for it', async () => {
    const record = email();
    await repo.insertIfAbsent(record);
    await delivery(smtp).deliver(record._id, { number: 1, lastAttempt: false });
    await repo.flushed();
    writes.length = 0;
    // A replayed or re-enqueued job of the same message.
    await expect(delivery(smtp).deliver(record._id, { number: 2, lastAttempt: false })).resolves.toBe('skipped');
    expect(writes).toEqual([]);
    expect(await received(record.to!)).toBe(1);

    const failed = email('failed');
    await repo.insertIfAbsent(failed);
    await expect(delivery(smtp).deliver(failed._id, { number: 1, lastAttempt: false })).resolves.toBe('skipped');
    expect(await received(failed.to!)).toBe(0);
  });

  it('writes nothing for a failed attempt with retries left, and failed on the last one', async () => {
    const record = email();
    await repo.insertIfAbsent(record);
    writes.length = 0;
    await expect(delivery(refused).deliver(record._id, { number: 1, lastAttempt: false })).rejects.toThrow();
    expect(writes).toEqual([]);
    expect(await stored(record._id)).toMatchObject({ status: 'queued', attempts: 0 });

    await expect(delivery(refused).deliver(record._id, { number: 2, lastAttempt: true })).rejects.toThrow();
    expect(writes.filter((w) => w.endsWith(' messages'))).toEqual(['update messages']);
    const failed = await stored(record._id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 2 });
    expect(failed.lastError).toBeTruthy();
    // failed is final: a late `sent` of a concurrent attempt does not move it.
    expect(await repo.markSent(record._id, 'email', { providerMessageId: null, attempts: 3 }, new Date(), [])).toBe(
      false,
    );
    expect((await stored(record._id)).status).toBe('failed');
  });

  it('sends a record an earlier version left planned or sending, and marks it sent', async () => {
    for (const status of ['planned', 'sending'] as const) {
      const record = email(status);
      await repo.insertIfAbsent(record);
      await expect(
        delivery(smtp).deliver(record._id, { number: 2, lastAttempt: false, afterStall: true }),
      ).resolves.toBe('sent');
      expect(await stored(record._id)).toMatchObject({ status: 'sent', attempts: 2 });
      expect(await received(record.to!)).toBe(1);
    }
  });

  it("keeps an inbox item's NotificationSent in its outbox when Kafka did not take it: one write, handed to the relay", async () => {
    const record: MessageRecord = { ...email(), channel: 'in_app', to: null, status: 'sent', sentAt: new Date() };
    expect(await repo.insertIfAbsent(record)).toBeNull();
    writes.length = 0;
    flushed.length = 0;
    const event = notificationSentEvent(record, record.sentAt!);
    expect(await repo.keepInOutbox(record._id, [event])).toBe(true);
    await repo.flushed();
    expect(writes.filter((w) => w.endsWith(' messages'))).toEqual(['update messages']);
    expect((await stored(record._id)).outbox).toEqual([expect.objectContaining({ id: event.id })]);
    expect(flushed).toEqual([[expect.objectContaining({ id: event.id })]]);
    // A record that is gone keeps nothing.
    expect(await repo.keepInOutbox(`gone-${record._id}`, [event])).toBe(false);
  });
});
