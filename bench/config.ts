import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { WRITE_CHUNK } from '@app/persistence';
import { z } from 'zod';
import { INFRA_ENV_VARS } from '../tools/stack';

const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .default('')
  .transform((v) => v === 'true' || v === '1');
const count = z.coerce.number().int().positive();
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const envSchema = z.object({
  BENCH_QUICK: flag,
  BENCH_USE_RUNNING: flag,
  BENCH_OUT: z.string().default('.bench/results.json'),
  BENCH_SCENARIOS: z.string().default(''),
  BENCH_SCANS: optional(count),
  BENCH_PARCELS: optional(count),
  BENCH_BATCH_SIZE: optional(count),
  BENCH_LOOKUP_PARCELS: optional(count),
  BENCH_DURATION_S: optional(count),
  BENCH_CONNECTIONS: optional(count),
  BENCH_IDLE_DURATION_S: optional(count),
  BENCH_LOGIN_USERS: optional(count),
  BENCH_LOGIN_DURATION_S: optional(count),
  BENCH_LOGIN_CONCURRENCY: optional(count),
  BENCH_ARRIVAL_RATE: optional(count),
  BENCH_ARRIVAL_DURATION_S: optional(count),
  BENCH_ARRIVAL_STEP_S: optional(count),
  BENCH_ARRIVAL_RATES: z.string().default(''),
  BENCH_ARRIVAL_REFINE_STEPS: optional(z.coerce.number().int().min(0)),
  BENCH_SMTP_MESSAGES: optional(count),
  BENCH_PARTITIONS: optional(count),
  BENCH_KAFKA_MESSAGES: optional(count),
  BENCH_CPU_PROF: z.string().default(''),
  BENCH_SCALE_OUT_SCANS: optional(count),
  BENCH_SETTLE_TIMEOUT_S: optional(count),
  KAFKA_BROKERS: optional(z.string()),
  KAFKA_CREDENTIALS_FILE: optional(z.string()),
  MONGO_URL: optional(z.string()),
  REDIS_URL: optional(z.string()),
  SMTP_URL: optional(z.string()),
  MAILPIT_URL: optional(z.string()),
  STRIPE_API_URL: optional(z.string()),
});

export const SCENARIOS = ['idle', 'ingest', 'kafka', 'lookup', 'login', 'arrival', 'scaleout', 'tracing'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchConfig {
  quick: boolean;
  useRunning: boolean;
  out: string;
  scenarios: ReadonlySet<ScenarioName>;
  scans: number;
  parcels: number;
  /** statements per bulk write command in the driver baseline: tracking's chunk (`WRITE_CHUNK`) */
  batchSize: number;
  lookupParcels: number;
  durationS: number;
  connections: number;
  /** length of the idle window (`idle_cpu_<process>`) */
  idleDurationS: number;
  loginUsers: number;
  loginDurationS: number;
  loginConcurrency: number;
  arrivalRate: number;
  arrivalDurationS: number;
  /** burst length of each step of the arrival-rate search (`arrival_max_rate_p99_under_5s`) */
  arrivalStepS: number;
  /** arrival rates tried in turn by that search, until a step's p99 passes 5 s */
  arrivalRates: number[];
  /** bisection steps between the last rate that passed and the first that missed (0: the ladder only) */
  arrivalRefineSteps: number;
  /** emails of the raw SMTP baseline (`smtp_raw_send_per_s`) */
  smtpMessages: number;
  /** KAFKA_PARTITIONS for the apps: even, so two tracking instances split them evenly */
  partitions: number;
  /** messages of the raw kafkajs consume baseline */
  kafkaMessages: number;
  scaleOutScans: number;
  settleTimeoutMs: number;
  /** instances (e.g. `tracking`) run with `--cpu-prof`, profiles in the run's log folder */
  cpuProfile: ReadonlySet<string>;
  /** infrastructure URLs given in the environment (used instead of starting those pieces) */
  infraEnv: Record<string, string>;
}

/** Command-line flags override the environment: `npm run bench -- --quick --scenarios=ingest,kafka`. */
function readArgs(argv: readonly string[]): { quick?: boolean; scenarios?: string } {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { quick: { type: 'boolean' }, scenarios: { type: 'string' } },
      strict: true,
    });
    return values;
  } catch (error) {
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}; usage: npm run bench -- [--quick] [--scenarios=a,b]`,
      { cause: error },
    );
  }
}

export function loadBenchConfig(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = []): BenchConfig {
  const args = readArgs(argv);
  const parsed = envSchema.safeParse({
    ...env,
    ...(args.quick ? { BENCH_QUICK: 'true' } : {}),
    ...(args.scenarios === undefined ? {} : { BENCH_SCENARIOS: args.scenarios }),
  });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid bench configuration: ${issues}`);
  }
  const e = parsed.data;
  const quick = e.BENCH_QUICK;
  const pick = (value: number | undefined, full: number, small: number) => value ?? (quick ? small : full);
  const infraEnv: Record<string, string> = {};
  for (const name of INFRA_ENV_VARS) {
    const value = e[name];
    if (value) infraEnv[name] = value;
  }
  if (
    e.BENCH_USE_RUNNING &&
    !(infraEnv.KAFKA_BROKERS && infraEnv.KAFKA_CREDENTIALS_FILE && infraEnv.MONGO_URL && infraEnv.REDIS_URL)
  ) {
    throw new Error(
      'BENCH_USE_RUNNING=1 needs KAFKA_BROKERS, KAFKA_CREDENTIALS_FILE, MONGO_URL and REDIS_URL (and SMTP_URL + MAILPIT_URL)',
    );
  }
  if (e.BENCH_USE_RUNNING && infraEnv.SMTP_URL && !infraEnv.MAILPIT_URL) {
    throw new Error('BENCH_USE_RUNNING=1 with SMTP_URL needs MAILPIT_URL (arrival-to-email reads Mailpit)');
  }
  const wanted = e.BENCH_SCENARIOS.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = wanted.filter((s) => !(SCENARIOS as readonly string[]).includes(s));
  if (unknown.length) throw new Error(`unknown BENCH_SCENARIOS ${unknown.join(', ')}; known: ${SCENARIOS.join(', ')}`);
  const scans = pick(e.BENCH_SCANS, 100_000, 5_000);
  const parcels = pick(e.BENCH_PARCELS, 20_000, 1_000);
  if (parcels > scans) throw new Error('BENCH_PARCELS must not exceed BENCH_SCANS');
  return {
    quick,
    useRunning: e.BENCH_USE_RUNNING,
    out: path.resolve(e.BENCH_OUT),
    scenarios: new Set((wanted.length ? wanted : SCENARIOS) as ScenarioName[]),
    scans,
    parcels,
    batchSize: e.BENCH_BATCH_SIZE ?? WRITE_CHUNK,
    lookupParcels: Math.max(pick(e.BENCH_LOOKUP_PARCELS, 100_000, 5_000), 1),
    durationS: pick(e.BENCH_DURATION_S, 20, 5),
    connections: pick(e.BENCH_CONNECTIONS, 50, 50),
    idleDurationS: pick(e.BENCH_IDLE_DURATION_S, 30, 10),
    loginUsers: pick(e.BENCH_LOGIN_USERS, 64, 16),
    loginDurationS: pick(e.BENCH_LOGIN_DURATION_S, 15, 5),
    // argon2 runs on libuv's 4-thread pool: twice as many requests in flight as threads keeps it busy.
    loginConcurrency: e.BENCH_LOGIN_CONCURRENCY ?? Math.max(8, os.availableParallelism() * 4),
    arrivalRate: pick(e.BENCH_ARRIVAL_RATE, 50, 50),
    arrivalDurationS: pick(e.BENCH_ARRIVAL_DURATION_S, 60, 5),
    arrivalStepS: pick(e.BENCH_ARRIVAL_STEP_S, 20, 4),
    arrivalRates: e.BENCH_ARRIVAL_RATES
      ? e.BENCH_ARRIVAL_RATES.split(',').map((r) => count.parse(r.trim()))
      : quick
        ? [50, 100, 200, 400]
        : [50, 100, 150, 200, 300, 400, 600],
    arrivalRefineSteps: e.BENCH_ARRIVAL_REFINE_STEPS ?? 2,
    smtpMessages: pick(e.BENCH_SMTP_MESSAGES, 5_000, 1_000),
    partitions: e.BENCH_PARTITIONS ?? 4,
    kafkaMessages: pick(e.BENCH_KAFKA_MESSAGES, 200_000, 20_000),
    scaleOutScans: e.BENCH_SCALE_OUT_SCANS ?? scans,
    settleTimeoutMs: pick(e.BENCH_SETTLE_TIMEOUT_S, 600, 180) * 1000,
    cpuProfile: new Set(
      e.BENCH_CPU_PROF.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
    infraEnv,
  };
}
