import { listUnguardedRoutes } from '@app/auth';
import { createServiceApp } from '@app/platform';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { AppModule, SERVICE_NAME } from '../src/app.module';
import { loadNotificationsConfig } from '../src/config';

jest.setTimeout(120_000);

describe('notifications routes (in process)', () => {
  let app: NestExpressApplication;

  beforeAll(async () => {
    const run = randomUUID().slice(0, 8);
    const config = loadNotificationsConfig({
      ...process.env,
      KAFKA_TOPIC_PREFIX: `e2e-notify-routes-${run}`,
      MONGO_DB: `notifications_routes_${run}`,
      REDIS_PREFIX: `routes-${run}:`,
      // The JWKS is fetched only when a token is verified; none is here.
      AUTH_URL: 'http://127.0.0.1:9',
      NOTIFICATIONS_ROLE: 'api',
      RECONCILE_INTERVAL_MS: '0',
      LOG_LEVEL: 'warn',
    });
    app = await createServiceApp(AppModule.forRole(config), {
      name: SERVICE_NAME,
      port: 0,
      logger: pino({ level: 'silent' }),
    });
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('guards every route or marks it public', () => {
    expect(listUnguardedRoutes(app)).toEqual([]);
  });
});
