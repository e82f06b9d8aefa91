import './tracing';
import { bootstrapService, createLogger, exitOnBootError } from '@app/platform';
import { NestFactory } from '@nestjs/core';
import { AppModule, SERVICE_NAME } from './app.module';
import { loadNotificationsConfig } from './config';

async function main(): Promise<void> {
  const config = loadNotificationsConfig();
  const logger = createLogger(SERVICE_NAME, config.LOG_LEVEL);
  if (config.NOTIFICATIONS_ROLE === 'worker') {
    // A worker serves no HTTP: it only drains the queues, so any number can run beside the API.
    const app = await NestFactory.createApplicationContext(AppModule.forRole(config), { logger: ['error', 'warn'] });
    // Exit 0 once the jobs in hand are done or the drain timeout has passed (Nest would re-raise the
    // signal and die by it instead); a timed-out drain is logged as a warning.
    app.enableShutdownHooks(undefined, { useProcessExit: true });
    await app.init();
    logger.info('notifications worker started');
    return;
  }
  await bootstrapService(AppModule.forRole(config), {
    name: SERVICE_NAME,
    port: config.NOTIFICATIONS_PORT,
    logLevel: config.LOG_LEVEL,
    host: config.HOST,
    instanceId: config.INSTANCE_ID,
    metricsToken: config.METRICS_TOKEN,
    logger,
  });
}

main().catch((error: unknown) => exitOnBootError(error));
