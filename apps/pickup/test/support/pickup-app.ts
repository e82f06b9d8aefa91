import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServiceApp } from '@app/platform';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import pino from 'pino';
import { AppModule } from '../../src/app.module';
import { BATCH_UPLOAD_ROUTE } from '../../src/batches/batches.controller';
import { loadPickupConfig, type PickupConfig } from '../../src/config';

export interface PickupUnderTest {
  app: NestExpressApplication;
  config: PickupConfig;
  /** This app's KAFKA_TOPIC_PREFIX (for `topicName`). */
  prefix: string;
  /** A `Bearer …` header for a new customer (or the given subject / roles). */
  token(sub?: string, roles?: string[]): Promise<string>;
  close(): Promise<void>;
}

/**
 * The pickup app in this process against the real stack (Kafka, FerretDB, Redis, stripe-mock), with
 * a stand-in for the auth service's JWKS. `prepare` runs before init (to replace an injectable).
 */
export async function startPickup(
  options: { env?: Record<string, string>; prepare?: (app: NestExpressApplication) => void } = {},
): Promise<PickupUnderTest> {
  const run = randomUUID().slice(0, 8);
  const prefix = `e2e-pay-${run}`;
  const keys = await generateKeyPair('ES256');
  const privateKey: KeyLike = keys.privateKey;
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'e2e', alg: 'ES256', use: 'sig' };
  const fakeAuth = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/jwks.json') return res.end(JSON.stringify({ keys: [jwk] }));
    res.statusCode = 404;
    res.end(JSON.stringify({ statusCode: 404, message: 'not found' }));
  });
  await new Promise<void>((resolve) => fakeAuth.listen(0, '127.0.0.1', resolve));
  const config = loadPickupConfig({
    ...process.env,
    KAFKA_TOPIC_PREFIX: prefix,
    MONGO_DB: `pickup_${run}`,
    REDIS_PREFIX: `${prefix}:`,
    AUTH_URL: `http://127.0.0.1:${(fakeAuth.address() as AddressInfo).port}`,
    PICKUP_MISSED_SWEEP_MS: '0',
    LOG_LEVEL: 'warn',
    ...options.env,
  });
  const app = await createServiceApp(AppModule.forRoot(config), {
    name: 'pickup',
    port: 0,
    bodyLimit: config.PICKUP_BODY_LIMIT,
    rawBody: true,
    rawBodyRoutes: [BATCH_UPLOAD_ROUTE],
    logger: pino({ level: 'silent' }),
  });
  options.prepare?.(app);
  await app.init();
  let n = 0;
  return {
    app,
    config,
    prefix,
    token: async (sub = `user-${run}-${++n}`, roles = ['customer']) =>
      `Bearer ${await new SignJWT({ roles, username: sub })
        .setProtectedHeader({ alg: 'ES256', kid: 'e2e' })
        .setSubject(sub)
        .setIssuer('postal-portal-auth')
        .setAudience('postal-portal')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey)}`,
    async close() {
      await app.close();
      fakeAuth.close();
    },
  };
}
