import { computeImpbCheckDigit, createEnvelope, ScanRecordedV1, Topics, topicName } from '@app/contracts';
import { kafkaCredentials, kafkaSasl, provisionKafkaPrefix, startPortal, waitFor, type Portal } from '@app/testing';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { librdkafkaProperties } from '../../../tools/stack/kafka-access';

// The project-level testTimeout is not applied by this jest version.
jest.setTimeout(180_000);

const brokers = () => (process.env.KAFKA_BROKERS ?? '').split(',');

function client(sasl?: SASLOptions): Kafka {
  return new Kafka({
    clientId: `kafka-security-${randomUUID().slice(0, 8)}`,
    brokers: brokers(),
    sasl,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    retry: { retries: 0 },
  });
}

/** Sends one message as `principal`; resolves with the error, or undefined when the broker acked it. */
async function sendAs(principal: string, topic: string): Promise<Error | undefined> {
  const producer = client(kafkaSasl(principal)).producer({ allowAutoTopicCreation: false });
  try {
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: '{}' }] });
    return undefined;
  } catch (error) {
    return error as Error;
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

function kcat(args: string[], input?: string) {
  const result = spawnSync('kcat', args, { input, encoding: 'utf8', timeout: 30_000 });
  if (result.error) throw new Error(`kcat could not run (apt-get install -y kcat): ${result.error.message}`);
  return result;
}

function trackingNumber(): string {
  const body = `9205590${String(Date.now()).slice(-8)}${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  return body + computeImpbCheckDigit(body);
}

describe('Kafka authentication and ACLs (real broker)', () => {
  const prefix = `e2e-kafka-acl-${randomUUID().slice(0, 8)}`;
  const topic = (t: string) => topicName(t, prefix);

  beforeAll(async () => {
    await provisionKafkaPrefix(prefix);
  });

  it('refuses a client without credentials or with a wrong password', async () => {
    const anonymous = client().admin();
    await expect(anonymous.connect().then(() => anonymous.listTopics())).rejects.toThrow();
    await anonymous.disconnect().catch(() => undefined);

    const wrong = client({ mechanism: 'scram-sha-512', username: 'tracking', password: 'not-the-password' }).admin();
    await expect(wrong.connect()).rejects.toThrow(/SASL SCRAM SHA512 authentication failed/);
    await wrong.disconnect().catch(() => undefined);

    // The same client with the admin's credentials is let in.
    const admin = client(kafkaSasl()).admin();
    await admin.connect();
    expect(await admin.listTopics()).toContain(topic(Topics.PostalScans));
    await admin.disconnect();
  });

  it('lets the scanner principal write postal.scans and nothing else (postal.requests is tracking’s)', async () => {
    expect(await sendAs('scanner', topic(Topics.PostalScans))).toBeUndefined();
    expect(await sendAs('tracking', topic(Topics.PostalRequests))).toBeUndefined();
    for (const other of [Topics.Identity, Topics.Tracking, `${Topics.PostalScans}.dlq`, Topics.PostalRequests]) {
      const error = await sendAs('scanner', topic(other));
      expect(error?.message).toMatch(/not authorized/i);
    }
  });

  it("refuses a service's principal another service's topic", async () => {
    expect(await sendAs('pickup', topic(Topics.Pickup))).toBeUndefined();
    expect((await sendAs('pickup', topic(Topics.Identity)))?.message).toMatch(/not authorized/i);
    expect((await sendAs('tracking', topic(Topics.Identity)))?.message).toMatch(/not authorized/i);
    expect((await sendAs('notifications', topic(Topics.Tracking)))?.message).toMatch(/not authorized/i);
    // A consumer may write the DLQ of what it reads, not of what it does not.
    expect(await sendAs('pickup', topic(`${Topics.Tracking}.dlq`))).toBeUndefined();
    expect((await sendAs('pickup', topic(`${Topics.Identity}.dlq`)))?.message).toMatch(/not authorized/i);
  });

  describe('kcat with the scanner client settings', () => {
    let portal: Portal | undefined;
    let properties: string;
    let tmp: string | undefined;

    beforeAll(async () => {
      // The file the stack wrote (.data/<profile>/kafka/scanner.properties); or one like it for a broker given from outside.
      if (process.env.KAFKA_SCANNER_PROPERTIES) {
        properties = process.env.KAFKA_SCANNER_PROPERTIES;
      } else {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-security-'));
        properties = path.join(tmp, 'scanner.properties');
        fs.writeFileSync(properties, librdkafkaProperties(brokers().join(','), kafkaCredentials().scanner));
      }
      portal = await startPortal({ apps: ['tracking'] });
    });

    afterAll(async () => {
      await portal?.stop();
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it('is in the librdkafka format for the scanner principal', () => {
      const text = fs.readFileSync(properties, 'utf8');
      expect(text).toContain(`bootstrap.servers=${brokers().join(',')}`);
      expect(text).toContain('security.protocol=SASL_PLAINTEXT');
      expect(text).toContain('sasl.mechanisms=SCRAM-SHA-512');
      expect(text).toContain('sasl.username=scanner');
      expect(text).toMatch(/^sasl\.password=\S+$/m);
    });

    it('lists the metadata the scanner may see: postal.scans, not the services topics', () => {
      const listed = kcat(['-F', properties, '-L', '-J']);
      expect(listed.status).toBe(0);
      const names = (JSON.parse(listed.stdout) as { topics: { topic: string }[] }).topics.map((t) => t.topic);
      expect(names).toContain(topic(Topics.PostalScans));
      expect(names).not.toContain(topic(Topics.Identity));
      expect(names).not.toContain(topic(Topics.Tracking));
    });

    it('cannot read a topic', () => {
      const read = kcat(['-F', properties, '-C', '-t', topic(Topics.Tracking), '-o', 'beginning', '-e', '-q']);
      expect(`${read.stdout}${read.stderr}`).toMatch(/authorization failed/i);
    });

    it('produces a scan that the portal applies', async () => {
      const portalTopic = topicName(Topics.PostalScans, portal!.topicPrefix);
      const tn = trackingNumber();
      const eventId = randomUUID();
      const envelope = createEnvelope({
        id: eventId,
        type: ScanRecordedV1.type,
        version: ScanRecordedV1.version,
        key: tn,
        source: 'kcat',
        data: { ...ScanRecordedV1.example, eventId, trackingNumber: tn, code: 'accepted' },
      });
      const sent = kcat(['-F', properties, '-P', '-t', portalTopic, '-k', tn], `${JSON.stringify(envelope)}\n`);
      expect(sent.stderr).not.toMatch(/error|fail/i);
      expect(sent.status).toBe(0);
      const parcel = await waitFor(
        async () => {
          const res = await fetch(`${portal!.urls.tracking}/api/v1/tracking/${tn}`);
          return res.status === 200 ? ((await res.json()) as { statusCategory: string }) : undefined;
        },
        { timeoutMs: 60_000, description: 'the scan written with kcat applied' },
      );
      expect(parcel.statusCategory).toBe('accepted');
    });
  });
});
