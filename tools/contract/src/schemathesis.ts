import { spawnSync } from 'node:child_process';
import { mismatchOnly } from './warnings';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DOCUMENT_FILE, readDocument, renderApiTypes, TYPE_FILES } from './api-types';
import { startContractStack } from './stack';

// usage: node -r ./bench/ts-register.js tools/contract/src/schemathesis.ts [--serve]
//   (npm run contract:fuzz). Builds nothing: run `npm run build` first (CI's `npm test` did).
// Starts the test stack (real Kafka, FerretDB, Redis, Mailpit, stripe-mock and the five built apps),
// then runs schemathesis with its default checks over the gateway's merged document twice: with a
// customer's token over every operation, and with an operator's token over the operator routes.
// First it compares the live document with clients/openapi.json, from which the web portal's types and
// the typed client are generated: --update rewrites that file and the generated types instead of failing.
// --serve keeps the stack running and prints the gateway URL and both tokens (to run schemathesis by hand).

const ROOT = path.resolve(__dirname, '..', '..', '..');
export const SCHEMATHESIS_VERSION = '4.32.5';
const VENV = path.join(ROOT, '.cache', `schemathesis-${SCHEMATHESIS_VERSION}`);
const BIN = path.join(VENV, 'bin', 'schemathesis');
const CONFIG = path.join(__dirname, '..', 'schemathesis.toml');
const KNOWN_CONFIG = path.join(__dirname, '..', 'schemathesis-known.toml');
/** Operations ("METHOD /path") whose document is known to be looser than their validation. */
const KNOWN_LOOSE = fs
  .readFileSync(path.join(__dirname, '..', 'looser-than-validation.txt'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));
/** The checks of the contract: no 5xx, and every answer matches its documented schema. */
const CHECKS = 'not_a_server_error,response_schema_conformance';

/** Operator routes (the customer run covers them as well: it must get 403, and does). */
const OPERATOR_PATHS = '^/api/v1/(admin|operator)/';

const log = (msg: string): void => console.log(`[contract] ${msg}`);

/** Installs schemathesis into a venv under .cache (kept by CI's cache like the other tools). */
function install(): void {
  if (fs.existsSync(BIN)) {
    // A venv copied from another checkout keeps that checkout's interpreter path and cannot run.
    if (spawnSync(BIN, ['--version'], { stdio: 'ignore' }).status === 0) return;
    log(`${path.relative(ROOT, VENV)} does not run here; installing it again`);
    fs.rmSync(VENV, { recursive: true, force: true });
  }
  log(`installing schemathesis ${SCHEMATHESIS_VERSION} into ${path.relative(ROOT, VENV)}`);
  const steps: [string, string[]][] = [
    ['python3', ['-m', 'venv', VENV]],
    [
      path.join(VENV, 'bin', 'pip'),
      ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`],
    ],
  ];
  for (const [command, args] of steps) {
    const result = spawnSync(command, args, { stdio: 'inherit' });
    if (result.status !== 0) {
      fs.rmSync(VENV, { recursive: true, force: true });
      throw new Error(
        `${path.basename(command)} ${args.join(' ')} failed (${result.signal ?? `exit ${result.status}`})`,
      );
    }
  }
}

interface RunResult {
  ok: boolean;
  /** Operations the validation-mismatch warning named, when that warning alone failed the run. */
  mismatchOnly?: string[];
}

function schemathesis(label: string, args: string[], config: string): RunResult {
  log(
    `${label}: schemathesis --config-file ${path.relative(ROOT, config)} run --checks ${CHECKS} --no-color ${args.map((a) => (a.startsWith('Authorization') ? 'Authorization: Bearer …' : a)).join(' ')}`,
  );
  const started = Date.now();
  const result = spawnSync(BIN, ['--config-file', config, 'run', '--checks', CHECKS, '--no-color', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, SCHEMATHESIS_HOOKS: '' },
  });
  // Each line behind a prefix: schemathesis closes like pytest ("=== No issues found in 22.3s ==="), and a CI log
  // reader that knows pytest would take that line for a test run that counted no test.
  process.stdout.write(
    (result.stdout ?? '')
      .split('\n')
      .map((line) => (line ? `[schemathesis] ${line}` : line))
      .join('\n'),
  );
  log(`${label}: exit ${result.status ?? result.signal} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (result.status === 0) return { ok: true };
  return { ok: false, mismatchOnly: mismatchOnly(result.stdout ?? '') };
}

/**
 * One schemathesis run. A real mismatch (the document looser than the validation) is in the document and
 * flags its operation in every run; one that only happened to be flagged is not flagged again: the operations
 * the warning alone named run once more with another seed, and the run fails only if they are flagged again.
 */
function run(label: string, args: string[], config = CONFIG): boolean {
  const first = schemathesis(label, args, config);
  if (first.ok || !first.mismatchOnly?.length) return first.ok;
  const operations = first.mismatchOnly;
  log(`${label}: only the validation-mismatch warning, on ${operations.join('; ')}: those operations again, seed 16`);
  const base = args.filter(
    (_, i) =>
      !['--include-name', '--exclude-name'].includes(args[i]) &&
      !['--include-name', '--exclude-name'].includes(args[i - 1]),
  );
  const again = schemathesis(
    `${label}, flagged operations again`,
    [...base, '--seed', '16', ...operations.flatMap((name) => ['--include-name', name])],
    config,
  );
  if (!again.ok) log(`${label}: flagged again: the document is looser than the validation of ${operations.join('; ')}`);
  return again.ok;
}

/** Whether clients/openapi.json is the document the gateway serves (written anew with `update`). */
async function documentUpToDate(location: string, update: boolean): Promise<boolean> {
  // A service builds its part on the first request; on a loaded machine the gateway gives up on it at first.
  let live: Record<string, unknown> = {};
  for (let attempt = 1; attempt <= 60; attempt++) {
    const res = await fetch(location, { signal: AbortSignal.timeout(30_000) });
    if (!res.ok) throw new Error(`GET ${location}: ${res.status}`);
    live = (await res.json()) as Record<string, unknown>;
    if (!('x-unavailable-services' in live)) break;
    await new Promise((resolve) => setTimeout(resolve, 5_000));
  }
  if ('x-unavailable-services' in live)
    throw new Error(`the document lacks ${JSON.stringify(live['x-unavailable-services'])}`);
  if (JSON.stringify(live) === JSON.stringify(readDocument())) {
    log(`${path.relative(ROOT, DOCUMENT_FILE)} is the gateway's document`);
    return true;
  }
  if (!update) {
    console.error(
      `[contract] ${path.relative(ROOT, DOCUMENT_FILE)} differs from the gateway's /api/docs-json: run \`npm run test:contract -- --update\` and commit it with the regenerated types`,
    );
    return false;
  }
  fs.writeFileSync(DOCUMENT_FILE, `${JSON.stringify(live, null, 2)}\n`);
  const types = await renderApiTypes(live);
  for (const file of TYPE_FILES) fs.writeFileSync(file, types);
  log(`wrote ${path.relative(ROOT, DOCUMENT_FILE)} and ${TYPE_FILES.map((f) => path.relative(ROOT, f)).join(', ')}`);
  return true;
}

async function main(): Promise<number> {
  install();
  const serve = process.argv.includes('--serve');
  const t0 = Date.now();
  const stack = await startContractStack(log);
  log(`stack ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (serve) {
    console.log(
      JSON.stringify({ gatewayUrl: stack.gatewayUrl, customer: stack.customerToken, operator: stack.operatorToken }),
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await stack.stop();
    return 0;
  }
  try {
    const location = `${stack.gatewayUrl}/api/docs-json`;
    if (!(await documentUpToDate(location, process.argv.includes('--update')))) return 1;
    const base = ['--url', stack.gatewayUrl, location];
    const bearer = (token: string) => ['-H', `Authorization: Bearer ${token}`];
    const exceptKnown = KNOWN_LOOSE.flatMap((name) => ['--exclude-name', name]);
    const customer = run('customer', [...base, ...exceptKnown, ...bearer(stack.customerToken)]);
    const known = run(
      'customer, operations of looser-than-validation.txt',
      [...base, ...KNOWN_LOOSE.flatMap((name) => ['--include-name', name]), ...bearer(stack.customerToken)],
      KNOWN_CONFIG,
    );
    const operator = run('operator', [
      ...base,
      '--include-path-regex',
      OPERATOR_PATHS,
      ...exceptKnown,
      ...bearer(stack.operatorToken),
    ]);
    return customer && known && operator ? 0 : 1;
  } finally {
    await stack.stop();
  }
}

main().then(
  (status) => process.exit(status),
  (err: unknown) => {
    console.error(`[contract] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
