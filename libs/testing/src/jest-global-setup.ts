import * as fs from 'node:fs';
import * as path from 'node:path';
import { devSecrets } from '../../../tools/dev-secrets';
import { INFRA_ENV_VARS, startInfra, TEST_PORTS, type Infra, type InfraPorts } from '../../../tools/stack';
import { ADMIN, readCredentials } from '../../../tools/stack/kafka-access';

export const INFRA_HANDLE = '__POSTAL_PORTAL_TEST_INFRA__';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * Apps run in the test process and raw clients authenticate as the Kafka admin and create their
 * topics; `startPortal` gives each app it launches its own principal and ACLs instead.
 */
function useKafkaAdmin(): void {
  const file = process.env.KAFKA_CREDENTIALS_FILE;
  if (!file) return;
  const admin = readCredentials(file)[ADMIN];
  process.env.KAFKA_SASL_MECHANISM = 'scram-sha-512';
  process.env.KAFKA_SASL_USERNAME = admin.username;
  process.env.KAFKA_SASL_PASSWORD = admin.password;
  process.env.KAFKA_MANAGE_TOPICS = 'true';
}

async function portsFree(ports: InfraPorts): Promise<boolean> {
  const net = await import('node:net');
  const inUse = (port: number) =>
    new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  const results = await Promise.all(Object.values(ports).map(inUse));
  return results.every((used) => !used);
}

async function pickFreePorts(): Promise<InfraPorts> {
  const net = await import('node:net');
  const one = () =>
    new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
  return {
    kafka: await one(),
    kafkaController: await one(),
    mongo: await one(),
    redis: await one(),
    smtp: await one(),
    mailpit: await one(),
    otlp: await one(),
    jaegerUi: await one(),
    jaegerGrpc: await one(),
    stripeMock: await one(),
  };
}

/**
 * Jest runs this only when the e2e project has selected tests. It starts the real infrastructure
 * on the TEST ports with fresh data, unless its URLs are already in the environment, and publishes
 * the URLs through process.env (workers inherit it).
 */
export default async function globalSetup(): Promise<void> {
  // The test harness is a development environment (an app built in process by a spec reads this env).
  process.env.PORTAL_ENV ??= 'development';
  // The apps require their secrets; tests use the fixed development ones unless given others.
  Object.assign(process.env, devSecrets(process.env));
  const given = INFRA_ENV_VARS.filter((name) => process.env[name]);
  if (given.length === INFRA_ENV_VARS.length) {
    useKafkaAdmin();
    return;
  }

  let ports = TEST_PORTS;
  let dataDir = path.join(ROOT, '.data', 'test');
  // Another run (a colleague's, on the same machine) holds the test ports: take free ones instead.
  // TEST_INFRA_FREE_PORTS=true asks for free ones up front: for a run started beside another at the
  // same moment (CI's soak beside the rest of the fault suite), where both would find the test ports free.
  if (process.env.TEST_INFRA_FREE_PORTS === 'true' || !(await portsFree(TEST_PORTS))) {
    ports = await pickFreePorts();
    dataDir = path.join(ROOT, '.data', `test-${process.pid}`);
  }
  const infra: Infra = await startInfra({
    profile: 'test',
    ports,
    dataDir,
    fresh: true,
    log: (msg) => process.stderr.write(`[test-infra] ${msg}\n`),
  });
  for (const [name, value] of Object.entries(infra.env)) process.env[name] = value;
  useKafkaAdmin();
  (globalThis as Record<string, unknown>)[INFRA_HANDLE] = { infra, dataDir, temporary: ports !== TEST_PORTS };
  if (!fs.existsSync(path.join(ROOT, 'dist'))) {
    process.stderr.write('[test-infra] dist/ is missing: e2e tests that start apps need `npm run build` first\n');
  }
}
