import { Topics } from '@app/contracts';
import type { BenchContext } from '../support/context';
import { seconds, sleep } from '../support/context';
import { percentile } from '../support/results';

/** kafkajs reading what is on postal.scans in a fresh group, doing nothing with it: the event side's ceiling. */
export async function rawConsumeRate(ctx: BenchContext): Promise<void> {
  const topic = ctx.kafka.topic(Topics.PostalScans);
  const total = await ctx.kafka.highWatermark(Topics.PostalScans);
  if (total === 0) {
    ctx.log('kafka raw consume: postal.scans is empty (run the ingest scenario first), skipped');
    return;
  }
  const consumer = ctx.kafka.kafka.consumer({ groupId: `${ctx.kafka.prefix}bench-raw`, maxWaitTimeInMs: 1000 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let last = 0;
  let bytes = 0;
  // From the start of fetching (group join included) to the last batch: one fetch may hold it all.
  const first = performance.now();
  await consumer.run({
    eachBatch: async ({ batch }) => {
      seen += batch.messages.length;
      for (const m of batch.messages) bytes += m.value?.length ?? 0;
      last = performance.now();
      return Promise.resolve();
    },
  });
  const deadline = Date.now() + ctx.config.settleTimeoutMs;
  while (seen < total && Date.now() < deadline) await sleep(50);
  await consumer.disconnect();
  const rate = seen / ((last - first) / 1000);
  ctx.log(`kafka raw consume: ${seen} messages (${(bytes / 2 ** 20).toFixed(1)} MiB) in ${seconds(last - first)}`);
  ctx.results.add({
    metric: 'kafka_raw_consume_msgs_per_s',
    value: rate,
    unit: 'msgs/s',
    note: `kafkajs eachBatch, no processing, ${seen} scan messages, consumer start (group join included) to last batch`,
  });
}

/** Produce → consume latency of one event hop on the same broker, at the arrival scenario's rate. */
export async function kafkaHopLatency(
  ctx: BenchContext,
  rate: number,
  durationS: number,
): Promise<{ p50: number; p99: number }> {
  const topic = ctx.kafka.topic('bench.hop');
  await ctx.kafka.admin.createTopics({
    topics: [{ topic, numPartitions: ctx.config.partitions }],
    waitForLeaders: true,
  });
  const consumer = ctx.kafka.kafka.consumer({ groupId: `${ctx.kafka.prefix}bench-hop`, maxWaitTimeInMs: 1000 });
  const latencies: number[] = [];
  await consumer.connect();
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ message }) => {
      const sentAt = Number(message.value?.toString('utf8'));
      latencies.push(Date.now() - sentAt);
      return Promise.resolve();
    },
  });
  await joined;
  const count = rate * durationS;
  const intervalMs = 1000 / rate;
  const t0 = Date.now();
  const sends: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const due = t0 + i * intervalMs;
    if (due > Date.now()) await sleep(due - Date.now());
    sends.push(ctx.kafka.producer.send({ topic, messages: [{ key: `k${i}`, value: String(Date.now()) }] }));
  }
  await Promise.all(sends);
  const deadline = Date.now() + 30_000;
  while (latencies.length < count && Date.now() < deadline) await sleep(50);
  await consumer.disconnect();
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}
