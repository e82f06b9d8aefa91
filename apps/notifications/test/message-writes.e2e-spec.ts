import type { OutboxRelay } from '@app/messaging';
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
import { Clock } from '@app/platform';

jest.setTimeout(60_000);

const run = randomUUID().slice(0, 8);
const WRITES = new Set(['insert', 'update', 'findAndModify', 'delete']);

/**
 * The message record's state transitions on the real FerretDB, with real SMTP (Mailpit): an email
 * costs two writes of its record (inserted `queued`, then `sent`), a settled record is never sent
 * again, and a failed attempt writes only when it is the last. The outbox relay is replaced by a
 * recorder: publishing NotificationSent (and removing it from the record) is its business.
 */
describe('message record writes (real FerretDB and Mailpit)', () => {
  let connection: Connection;
  let model: Model<MessageRecord>;
  let repo: MessagesRepository;
  let smtp: SmtpEmailSender;
  let refused: SmtpEmailSender;
  const mailpit = new MailpitClient();
  const writes: string[] = [];
  const flushed: unknown[][] = [];
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
      if (WRITES.has(event.commandName) && target === 'messages') writes.push(event.commandName);
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

  const delivery = (sender: SmtpEmailSender) =>
    new DeliveryService(repo, sender, {} as SmsSender, new Clock(), new DeliveryMetrics());

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

  it('writes an email twice: inserted queued, then sent with its NotificationSent', async () => {
    writes.length = 0;
    flushed.length = 0;
    const record = email();
    expect(await repo.insertIfAbsent(record)).toBeNull();
    await expect(delivery(smtp).deliver(record._id, { number: 1, lastAttempt: false })).resolves.toBe('sent');

    await repo.flushed();
    expect(writes).toEqual(['insert', 'update']);
    expect(await stored(record._id)).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    expect((await stored(record._id)).providerMessageId).toContain(record._id);
    expect(flushed).toEqual([[expect.objectContaining({ type: 'NotificationSent' })]]);
    expect(await received(record.to!)).toBe(1);
  });

  it('never sends a settled record again, and writes nothing for it', async () => {
    const record = email();
    await repo.insertIfAbsent(record);
    await delivery(smtp).deliver(record._id, { number: 1, lastAttempt: false });
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
    expect(writes).toEqual(['update']);
    const failed = await stored(record._id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 2 });
    expect(failed.lastError).toBeTruthy();
    // failed is final: a late `sent` of a concurrent attempt does not move it.
    expect(await repo.markSent(record._id, { providerMessageId: null, attempts: 3 }, new Date(), [])).toBe(false);
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
});
