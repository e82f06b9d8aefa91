import { startInfra, type Infra } from '../../tools/stack';
import { cpuMs } from './cpu';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { freePort } = require('../../tools/stack/proc') as { freePort(): Promise<number> };

/**
 * FerretDB and Redis alone, on free ports, for a bench script that measures the store's CPU (the
 * outbox sweep, the reconciliation pass): the other pieces are given as unreachable URLs.
 */
export async function startStoreOnly(profile: string): Promise<{ infra: Infra; ferretPid: number }> {
  const unreachable = 'http://127.0.0.1:1';
  const infra = await startInfra({
    profile,
    fresh: true,
    ports: { mongo: await freePort(), redis: await freePort() },
    env: {
      KAFKA_BROKERS: '127.0.0.1:1',
      KAFKA_CREDENTIALS_FILE: '/dev/null',
      SMTP_URL: 'smtp://127.0.0.1:1',
      MAILPIT_URL: unreachable,
      STRIPE_API_URL: unreachable,
    },
    log: (msg) => console.error(`[stack] ${msg}`),
  });
  return { infra, ferretPid: infra.pids().FerretDB };
}

/** How long `fn` took, and the CPU the process `pid` (FerretDB) spent meanwhile. */
export async function timedCpu<T>(
  pid: number,
  fn: () => Promise<T>,
): Promise<{ ms: number; cpuMs: number; result: T }> {
  const cpu0 = cpuMs(pid);
  const t0 = performance.now();
  const result = await fn();
  return { ms: performance.now() - t0, cpuMs: cpuMs(pid) - cpu0, result };
}
