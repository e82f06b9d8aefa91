import { loadTracingConfig } from './tracing.config';

let started = false;

/**
 * Starts OpenTelemetry for this process when an OTLP endpoint is configured; does nothing (not even
 * load the SDK) otherwise, so tests and CI without tracing pay nothing. Must run before the app's
 * modules load: the instrumentations patch http, express, fastify, kafkajs, mongodb and ioredis as
 * they are required. Each app calls it from `src/tracing.ts`, the first import of its `main.ts`.
 */
export function startTracing(serviceName: string): void {
  if (started) return;
  started = true;
  let config;
  try {
    config = loadTracingConfig(serviceName);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  if (!config) return;
  // A synchronous require on purpose: an `import` would load the SDK in every process, and an
  // `await import()` would run after main.ts has loaded the modules that need patching.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('./tracing-sdk') as typeof import('./tracing-sdk');
  sdk.startSdk(config);
}
