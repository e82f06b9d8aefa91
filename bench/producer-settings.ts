/**
 * What the services' producer settings cost: kafkajs' idempotent producer needs one request in
 * flight per broker connection (libs/messaging KafkaConnections), against a plain producer (five in
 * flight, the kafkajs default), both with acks from all in-sync replicas. Starts its own Kafka
 * (`KAFKA_NODES` 3 by default: the replicated cluster, RF 3, min.insync.replicas 2; or 1) on free
 * ports and sends as the services do: many small concurrent batches (HTTP scan posts, 5 events
 * each) and one sequential stream of larger ones (an outbox relay, 100 each). Settings are
 * interleaved and run three times (after a discarded warm-up round) so a load change on the machine hits both alike:
 *
 *   node -r ./bench/ts-register.js bench/producer-settings.ts [seconds per round]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { readCredentials, sasl } from '../tools/stack/kafka-access';
import { freePort } from '../libs/testing/src/portal';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const stackKafka = require('../tools/stack/kafka') as {
  start(o: {
    dataDir: string;
    ports: { port: number; controllerPort: number };
    cluster: { port: number; controllerPort: number }[];
    onSpawn: (s: { stop(ms?: number): Promise<void>; killNow(): void }) => void;
    partitions: number;
  }): Promise<{ env: Record<string, string> }>;
};

const ROOT = path.resolve(__dirname, '..');
const seconds = Number(process.argv[2] ?? 8);
const nodes = Number(process.env.KAFKA_NODES ?? 3);

type Setting = 'idempotent' | 'plain';

async function round(kafka: Kafka, setting: Setting, topic: string, shape: 'http' | 'relay'): Promise<number> {
  const producer: Producer = kafka.producer(
    setting === 'idempotent'
      ? {
          idempotent: true,
          maxInFlightRequests: 1,
          allowAutoTopicCreation: false,
          createPartitioner: Partitioners.DefaultPartitioner,
        }
      : { allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner },
  );
  await producer.connect();
  const until = Date.now() + seconds * 1000;
  let sent = 0;
  const value = JSON.stringify({ pad: 'x'.repeat(400) });
  const sender = async (batch: number) => {
    while (Date.now() < until) {
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: batch }, (_, i) => ({ key: `k${(sent + i) % 997}`, value })),
      });
      sent += batch;
    }
  };
  const t0 = Date.now();
  if (shape === 'http') await Promise.all(Array.from({ length: 16 }, () => sender(5)));
  else await sender(100);
  const rate = sent / ((Date.now() - t0) / 1000);
  await producer.disconnect();
  return rate;
}

async function main(): Promise<void> {
  const dataDir = path.join(ROOT, '.data', `producer-settings-${process.pid}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  const services: { stop(ms?: number): Promise<void>; killNow(): void }[] = [];
  process.once('exit', () => services.forEach((s) => s.killNow()));
  const cluster: { port: number; controllerPort: number }[] = [];
  while (cluster.length < nodes) cluster.push({ port: await freePort(), controllerPort: await freePort() });
  try {
    const { env } = await stackKafka.start({
      dataDir,
      ports: cluster[0],
      cluster,
      onSpawn: (s) => services.push(s),
      partitions: 12,
    });
    const admin = readCredentials(env.KAFKA_CREDENTIALS_FILE).admin;
    const kafka = new Kafka({
      clientId: 'producer-settings',
      brokers: env.KAFKA_BROKERS.split(','),
      sasl: sasl(admin),
      logLevel: logLevel.NOTHING,
    });
    const topic = 'postal.scans';
    const results: Record<string, number[]> = {};
    // A fresh cluster is slow at first (leaders settling, JIT): one discarded round of each shape.
    for (const shape of ['http', 'relay'] as const) await round(kafka, 'plain', topic, shape);
    for (let pass = 0; pass < 3; pass++) {
      for (const shape of ['http', 'relay'] as const) {
        for (const setting of (pass % 2 === 0 ? ['idempotent', 'plain'] : ['plain', 'idempotent']) as Setting[]) {
          const rate = await round(kafka, setting, topic, shape);
          (results[`${shape}/${setting}`] ??= []).push(Math.round(rate));
          console.log(`${shape} ${setting}: ${Math.round(rate)} messages/s`);
        }
      }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const rows = (['http', 'relay'] as const).map((shape) => {
      const value = mean(results[`${shape}/idempotent`]);
      const baselineValue = mean(results[`${shape}/plain`]);
      return {
        metric: `kafka_produce_${shape}_idempotent_msgs_per_s`,
        value: Math.round(value),
        unit: 'messages/s',
        baseline: `the same sends, plain producer (5 in flight), acks=all, ${nodes} node(s)`,
        baselineValue: Math.round(baselineValue),
        ratio: Math.round((value / baselineValue) * 100) / 100,
      };
    });
    console.log(JSON.stringify({ rows, runs: results, loadAverage: os.loadavg().map((l) => l.toFixed(1)) }, null, 2));
  } finally {
    await Promise.all(services.map((s) => s.stop(5000)));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
