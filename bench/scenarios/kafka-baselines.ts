import type { BenchContext } from '../support/context';
import { seconds, sleep } from '../support/context';
import { percentile } from '../support/results';
import { planScans } from '../support/scans';

/**
 * kafkajs reading `kafkaMessages` scan messages in a fresh group, doing nothing with them: the event
 * side's ceiling. Its own topic (same partitions, same message shape) so the count does not depend on
 * the other scenarios.
 */
export async function rawConsumeRate(ctx: BenchContext): Promise<void> {
  const logical = 'bench.raw';
  const topic = ctx.kafka.topic(logical);
  const wanted = ctx.config.kafkaMessages;
  await ctx.kafka.admin.createTopics({
    topics: [{ topic, numPartitions: ctx.config.partitions }],
    waitForLeaders: true,
  });
  const tp = performance.now();
  const parcels = Math.max(1, Math.floor(wanted / 5));
  const plan = planScans({ range: 6, parcels, total: wanted, repeatShare: 0, outOfOrderShare: 0 });
  await ctx.kafka.sendAll(logical, plan.messages, 1000);
  const total = await ctx.kafka.highWatermark(logical);
  ctx.log(`kafka raw consume: produced ${total} messages in ${seconds(performance.now() - tp)}`);

  const consumer = ctx.kafka.kafka.consumer({
    groupId: `${ctx.kafka.prefix}bench-raw`,
    maxWaitTimeInMs: 1000,
    maxBytesPerPartition: 4 * 1024 * 1024,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let last = 0;
  let bytes = 0;
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    partitionsConsumedConcurrently: ctx.config.partitions,
    eachBatch: async ({ batch }) => {
      seen += batch.messages.length;
      for (const m of batch.messages) bytes += m.value?.length ?? 0;
      last = performance.now();
      return Promise.resolve();
    },
  });
  // Timed from the group join (the rebalance is not the consume rate) to the last batch.
  await joined;
  const first = performance.now();
  const deadline = Date.now() + ctx.config.settleTimeoutMs;
  while (seen < total && Date.now() < deadline) await sleep(20);
  await consumer.disconnect();
  const ms = Math.max(last - first, 1);
  const rate = seen / (ms / 1000);
  ctx.log(`kafka raw consume: ${seen} messages (${(bytes / 2 ** 20).toFixed(1)} MiB) in ${seconds(ms)}`);
  ctx.results.add({
    metric: 'kafka_raw_consume_msgs_per_s',
    value: seen >= total ? rate : null,
    unit: 'msgs/s',
    goal: 'reported',
    note: `kafkajs eachBatch, no processing, ${seen}/${total} scan messages (${(bytes / seen / 1024).toFixed(2)} KiB each) on ${ctx.config.partitions} partitions, group join to last batch`,
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
