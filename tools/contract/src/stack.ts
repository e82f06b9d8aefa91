import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  createUser,
  freePort,
  login,
  MailpitClient,
  PortalClient,
  startPortal,
  type Portal,
  type TestUser,
} from '@app/testing';
import { devSecrets } from '../../dev-secrets';
import { startInfra, type Infra, type InfraPorts } from '../../stack';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The operator the contract run logs in as (seeded by auth from PORTAL_OPERATOR_*; a test value). */
const OPERATOR = { username: 'contract_operator', password: 'operator harbour lantern 5813' };

/**
 * The gateway counts requests per client IP; a property-based run is one IP sending a few thousand
 * requests in a minute, which the per-minute limits would answer with 429 instead of the route.
 */
const HIGH_LIMIT = '1000000';

export interface ContractStack {
  gatewayUrl: string;
  customerToken: string;
  operatorToken: string;
  portal: Portal;
  stop(): Promise<void>;
}

/**
 * Starts the real infrastructure on free ports (fresh data under .data/contract-<pid>), the five
 * built apps through libs/testing, a verified customer and the seeded operator, as the e2e tests do.
 */
export async function startContractStack(log: (msg: string) => void): Promise<ContractStack> {
  process.env.PORTAL_ENV ??= 'development';
  Object.assign(process.env, devSecrets(process.env));
  const ports: InfraPorts = {
    kafka: await freePort(),
    kafkaController: await freePort(),
    mongo: await freePort(),
    redis: await freePort(),
    smtp: await freePort(),
    mailpit: await freePort(),
    otlp: await freePort(),
    jaegerUi: await freePort(),
    jaegerGrpc: await freePort(),
    stripeMock: await freePort(),
  };
  const dataDir = path.join(ROOT, '.data', `contract-${process.pid}`);
  const infra: Infra = await startInfra({ profile: 'contract', ports, dataDir, fresh: true, log });
  const stopInfra = async (): Promise<void> => {
    await infra.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  let portal: Portal | undefined;
  try {
    for (const [name, value] of Object.entries(infra.env) as [string, string | undefined][]) {
      if (value !== undefined) process.env[name] = value;
    }
    portal = await startPortal({
      // The apps start together on a loaded 2-core CI machine; a minute is sometimes not enough.
      readyTimeoutMs: 180_000,
      env: {
        PORTAL_OPERATOR_USERNAME: OPERATOR.username,
        PORTAL_OPERATOR_PASSWORD: OPERATOR.password,
        GATEWAY_RATE_LIMIT_PER_MINUTE: HIGH_LIMIT,
        GATEWAY_AUTH_RATE_LIMIT_PER_MINUTE: HIGH_LIMIT,
        GATEWAY_TRACKING_RATE_LIMIT_PER_MINUTE: HIGH_LIMIT,
        GATEWAY_TRACKING_BATCH_RATE_LIMIT_PER_MINUTE: HIGH_LIMIT,
      },
    });
    log(`apps ready, gateway at ${portal.gatewayUrl} (logs in ${path.relative(ROOT, portal.logDir)})`);
    const api = new PortalClient(`${portal.gatewayUrl}/api/v1`);
    // Registration hashes a password (argon2): on a loaded machine the gateway may time out once.
    let customer: TestUser | undefined;
    for (let attempt = 1; !customer; attempt++) {
      try {
        customer = await createUser(api, new MailpitClient());
      } catch (err) {
        if (attempt === 3) throw err;
        log(`creating the customer failed (${err instanceof Error ? err.message.slice(0, 200) : String(err)}); again`);
      }
    }
    const operator = await login(api, OPERATOR.username, OPERATOR.password);
    const running = portal;
    return {
      gatewayUrl: portal.gatewayUrl,
      customerToken: customer.accessToken,
      operatorToken: operator.accessToken,
      portal,
      stop: async () => {
        await running.stop();
        await stopInfra();
      },
    };
  } catch (err) {
    await portal?.stop();
    await stopInfra();
    throw err;
  }
}
