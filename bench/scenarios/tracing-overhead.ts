import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import autocannon from 'autocannon';
import type { BenchContext } from '../support/context';
import { seconds } from '../support/context';
import { planScans } from '../support/scans';
import { ROOT } from '../support/stack';
import { runIngest } from './scan-ingest';
import { waitForMembers } from './scale-out';

// tools/stack is plain JavaScript with JSDoc types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jaeger = require('../../tools/stack/jaeger') as {
  install(log: (msg: string) => void): Promise<boolean>;
  start(opts: {
    dataDir: string;
    ports: { otlpPort: number; uiPort: number; grpcPort: number };
    onSpawn: (service: unknown) => void;
  }): Promise<{ service: { stop(): Promise<void> }; env: { OTEL_EXPORTER_OTLP_ENDPOINT: string; JAEGER_URL: string } }>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { freePort } = require('../../tools/stack/proc') as { freePort(): Promise<number> };

async function lookups(ctx: BenchContext, gatewayUrl: string, numbers: readonly string[]): Promise<autocannon.Result> {
  let next = 0;
  return autocannon({
    url: gatewayUrl,
    connections: ctx.config.connections,
    duration: ctx.config.durationS,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => ({ ...request, path: `/api/v1/tracking/${numbers[next++ % numbers.length]}` }),
      },
    ],
  });
}

const load = () => os.loadavg()[0].toFixed(1);

/**
 * Tracing on against off in one run: tracking lookups through the gateway and scan ingest, first
 * with the untraced instances, then with a traced gateway and tracking (every span kept and
 * exported to a Jaeger on this machine, the development default: the most a ratio sampler costs).
 * Runs last: it stops the untraced tracking instance so the traced one consumes every partition.
 */
export async function tracingOverheadScenario(ctx: BenchContext): Promise<void> {
  const { config } = ctx;
  const t0 = performance.now();
  if (await jaeger.install((msg) => ctx.log(`tracing: ${msg}`)))
    ctx.log(`tracing: Jaeger built in ${seconds(performance.now() - t0)}`);
  const dataDir = path.join(ROOT, '.bench', 'jaeger', ctx.stack.id);
  fs.mkdirSync(dataDir, { recursive: true });
  const ports = { otlpPort: await freePort(), uiPort: await freePort(), grpcPort: await freePort() };
  const started = await jaeger.start({ dataDir, ports, onSpawn: () => undefined });
  const traced = { OTEL_EXPORTER_OTLP_ENDPOINT: started.env.OTEL_EXPORTER_OTLP_ENDPOINT };
  try {
    const total = Math.min(config.scans, config.scaleOutScans);
    // Unmeasured: the first ingest of a fresh stack also pays for warming up the JIT and the store.
    await runIngest(ctx, planScans({ range: 8, parcels: config.parcels, total: Math.ceil(total / 5) }));
    const offPlan = planScans({ range: 6, parcels: config.parcels, total });
    const off = await runIngest(ctx, offPlan);
    const offLoad = load();
    ctx.log(`tracing: ingest off ${Math.round(off.eventsPerS)} events/s (load ${offLoad})`);
    // The views of these parcels are in Redis now: every lookup is a read-model hit, on and off.
    const numbers = offPlan.numbers;
    const lookupOff = await lookups(ctx, ctx.stack.gatewayUrl, numbers);
    const lookupOffLoad = load();

    const trackingTraced = await ctx.stack.startInstance('tracking', 'tracking-traced', traced);
    await ctx.stack.startInstance('gateway', 'gateway-traced', { ...traced, TRACKING_URL: trackingTraced.url });
    const gatewayTraced = ctx.stack.instances.find((i) => i.name === 'gateway-traced');
    const untraced = ctx.stack.instances.find((i) => i.name === 'tracking');
    if (untraced) await ctx.stack.stopInstance(untraced);
    await waitForMembers(ctx, 1);

    const lookupOn = await lookups(ctx, gatewayTraced?.url ?? '', numbers);
    const lookupOnLoad = load();
    const onPlan = planScans({ range: 7, parcels: config.parcels, total });
    const on = await runIngest(ctx, onPlan);
    const onLoad = load();
    ctx.log(`tracing: ingest on ${Math.round(on.eventsPerS)} events/s (load ${onLoad})`);

    const spans = await fetch(`${started.env.JAEGER_URL}/api/services`).then(
      async (res) => ((await res.json()) as { data: string[] | null }).data ?? [],
      () => [],
    );
    const setting = `sampler parentbased_always_on (development default), OTLP/HTTP to Jaeger on this machine (services seen: ${spans.join(', ')})`;
    ctx.results.add({
      metric: 'tracing_lookup_per_s',
      value: lookupOn.requests.average,
      unit: 'req/s',
      baseline: 'the same lookups through an untraced gateway and tracking, same run',
      baselineValue: lookupOff.requests.average,
      goal: 'reported',
      note: `${config.connections} connections, ${config.durationS} s each, read-model hits; ${setting}; load average ${lookupOffLoad} off, ${lookupOnLoad} on`,
    });
    ctx.results.add({
      metric: 'tracing_lookup_p99_ms',
      value: lookupOn.latency.p99,
      unit: 'ms',
      baseline: 'p99 of the untraced lookups, same run',
      baselineValue: lookupOff.latency.p99,
      lowerIsBetter: true,
      goal: 'reported',
    });
    ctx.results.add({
      metric: 'tracing_ingest_events_per_s',
      value: on.eventsPerS,
      unit: 'events/s',
      baseline: 'the same scan mix ingested by the untraced tracking instance, same run',
      baselineValue: off.eventsPerS,
      goal: 'reported',
      note: `${total} scans each, produce to offsets committed and no outbox entry unpublished; ${setting}; load average ${offLoad} off, ${onLoad} on`,
    });
  } finally {
    await started.service.stop();
  }
}
