import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import mongoose from 'mongoose';
import * as nodemailer from 'nodemailer';
import { collectEvents, MailpitClient, produce } from '@app/testing';

// Proves the infrastructure the e2e globalSetup started is real, one piece at a time.
describe('local infrastructure', () => {
  const runId = randomUUID().slice(0, 8);

  it('delivers a produced Kafka message to a consumer, key and headers included', async () => {
    const prefix = `stack-${runId}.`;
    const collector = await collectEvents<{ hello: string }>('probe.events', { prefix });
    try {
      await produce('probe.events', [{ key: 'k-1', value: { hello: runId }, headers: { type: 'Probe' } }], {
        prefix,
      });
      const event = await collector.waitFor((e) => e.value.hello === runId);
      expect(event).toMatchObject({ key: 'k-1', headers: { type: 'Probe' }, topic: `${prefix}probe.events` });
    } finally {
      await collector.stop();
    }
  });

  it('collects only newer messages unless asked to read from the beginning', async () => {
    const prefix = `stack-${runId}-old.`;
    await produce('probe.events', [{ key: 'a', value: { n: 1 } }], { prefix });
    const fresh = await collectEvents<{ n: number }>('probe.events', { prefix });
    const all = await collectEvents<{ n: number }>('probe.events', { prefix, fromBeginning: true });
    try {
      await produce('probe.events', [{ key: 'a', value: { n: 2 } }], { prefix });
      await fresh.waitFor((e) => e.value.n === 2);
      await all.waitFor((e) => e.value.n === 2);
      expect(fresh.events.map((e) => e.value.n)).toEqual([2]);
      expect(all.events.map((e) => e.value.n)).toEqual([1, 2]);
    } finally {
      await Promise.all([fresh.stop(), all.stop()]);
    }
  });

  it('stores and finds a document in FerretDB through mongoose', async () => {
    const connection = await mongoose
      .createConnection(process.env.MONGO_URL!, { dbName: `stack_${runId}`, autoIndex: false })
      .asPromise();
    try {
      const Probe = connection.model('Probe', new mongoose.Schema({ _id: String, count: Number }));
      await Probe.create({ _id: 'p-1', count: 1 });
      await Probe.updateOne({ _id: 'p-1', count: 1 }, { $inc: { count: 1 } });
      const found = await Probe.findById('p-1').lean();
      expect(found).toMatchObject({ _id: 'p-1', count: 2 });
      await connection.dropDatabase();
    } finally {
      await connection.close();
    }
  });

  it('keeps values in Redis with the noeviction policy BullMQ requires', async () => {
    const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
    try {
      await redis.set(`stack:${runId}`, 'value', 'EX', 60);
      expect(await redis.get(`stack:${runId}`)).toBe('value');
      expect(await redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    } finally {
      redis.disconnect();
    }
  });

  it('receives a mail sent over SMTP in Mailpit', async () => {
    const to = `probe-${runId}@example.test`;
    const transport = nodemailer.createTransport({ url: process.env.SMTP_URL });
    await transport.sendMail({ from: 'portal@example.test', to, subject: `Probe ${runId}`, text: `code ${runId}` });
    transport.close();

    const mailpit = new MailpitClient();
    const message = await mailpit.waitForMessage({ to, subject: runId });
    expect(await mailpit.messageText(message.ID)).toContain(`code ${runId}`);
  });
});
