import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadBenchConfig, type ScenarioName } from './config';
import { arrivalToEmailScenario } from './scenarios/arrival-email';
import { idleScenario } from './scenarios/idle';
import { rawConsumeRate } from './scenarios/kafka-baselines';
import { loginScenario } from './scenarios/login';
import { scanIngestScenario } from './scenarios/scan-ingest';
import { scaleOutScenario } from './scenarios/scale-out';
import { trackingLookupScenario } from './scenarios/tracking-lookup';
import { tracingOverheadScenario } from './scenarios/tracing-overhead';
import { connectMongo, seconds, type BenchContext } from './support/context';
import { type CpuShares, describeCpu, measureCpu } from './support/cpu';
import { describeProfile, monotonicUs, type ProfileWindow, summariseProfiles } from './support/cpu-profile';
import { connectKafka } from './support/kafka';
import { Results } from './support/results';
import { ROOT, startBenchStack } from './support/stack';

const log = (msg: string) => console.log(`[bench] ${msg}`);

// Order matters: lookups reuse the ingested parcels, arrival-to-email reuses the logged-in users.
const ORDER: readonly [ScenarioName, (ctx: BenchContext) => Promise<void>][] = [
  // First: the stack as started, before any scenario left data or work behind.
  ['idle', idleScenario],
  ['ingest', scanIngestScenario],
  ['kafka', rawConsumeRate],
  ['lookup', trackingLookupScenario],
  ['login', loginScenario],
  ['arrival', arrivalToEmailScenario],
  ['scaleout', scaleOutScenario],
  // Last: it replaces the tracking instance the others use by a traced one.
  ['tracing', tracingOverheadScenario],
];

function recordRss(ctx: BenchContext, phase: 'idle' | 'after'): void {
  for (const [name, mb] of Object.entries(ctx.stack.rssMb())) {
    ctx.results.add({ metric: `rss_mb_${name}_${phase}`, value: Number.isNaN(mb) ? null : mb, unit: 'MiB' });
  }
}

async function main(): Promise<void> {
  const config = loadBenchConfig(process.env, process.argv.slice(2));
  const startedAt = new Date();
  const t0 = performance.now();
  log(
    `${config.quick ? 'quick' : 'full'} run on ${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; scenarios ${[...config.scenarios].join(', ')}`,
  );
  const stack = await startBenchStack(config, log);
  const results = new Results();
  // The measured part of each scenario: the V8 profiles are summarised over each too.
  const windows: ProfileWindow[] = [];
  let failed = false;
  try {
    const kafka = await connectKafka(stack.env.KAFKA_BROKERS, stack.topicPrefix, stack.env.KAFKA_CREDENTIALS_FILE);
    const mongo = await connectMongo(stack.env.MONGO_URL);
    const profileCpu = async <T>(label: string, fn: () => Promise<T>, onCpu?: (cpu: CpuShares) => void): Promise<T> => {
      const fromUs = monotonicUs();
      const { result, cpu } = await measureCpu(() => stack.processes(), fn);
      windows.push({ label, fromUs, toUs: monotonicUs() });
      log(`cpu during ${label} (% of one core, ${os.availableParallelism()} cores): ${describeCpu(cpu)}`);
      for (const share of cpu.shares.filter((s) => s.percent >= 5)) {
        results.add({ metric: `cpu_${label}_${share.name}`, value: share.percent, unit: '% of a core' });
      }
      onCpu?.(cpu);
      return result;
    };
    const ctx: BenchContext = { config, stack, kafka, mongo, results, log, profileCpu };
    try {
      recordRss(ctx, 'idle');
      for (const [name, scenario] of ORDER) {
        if (!config.scenarios.has(name)) continue;
        const ts = performance.now();
        log(`— ${name} —`);
        try {
          await scenario(ctx);
        } catch (error) {
          failed = true;
          log(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        }
        log(`${name} took ${seconds(performance.now() - ts)}`);
      }
      recordRss(ctx, 'after');
    } finally {
      await kafka.close();
      await mongo.close();
    }
  } finally {
    await stack.stop();
  }
  // The profiled instances write their profiles as they exit (whole life: start-up, load, idle excluded).
  if (config.cpuProfile.size > 0) {
    // kept beside the profiles, for a closer look at a window later
    fs.writeFileSync(path.join(stack.logDir, 'windows.json'), JSON.stringify(windows));
    for (const summary of summariseProfiles(stack.logDir, windows)) log(`cpu profile ${describeProfile(summary)}`);
  }
  results.write(config.out, startedAt);
  console.log(`\n${results.table()}\n`);
  log(`results in ${path.relative(ROOT, config.out)} (total ${seconds(performance.now() - t0)})`);
  for (const row of results.unmeasured()) log(`not measured: ${row.metric}`);
  const misses = results.goalMisses();
  for (const row of misses) log(`goal missed: ${row.metric} ratio ${row.ratio ?? 'n/a'}, goal ${row.goal ?? ''}`);
  // Quick mode (CI) checks that everything runs and measures; only a full run is held to the goals.
  if (failed || results.unmeasured().length > 0 || (!config.quick && misses.length > 0)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`[bench] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
