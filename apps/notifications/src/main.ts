import './tracing';
import {
  bootstrapService,
  createLogger,
  exitOnBootError,
  HealthRegistry,
  MetricsModule,
  MetricsService,
} from '@app/platform';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule, SERVICE_NAME } from './app.module';
import { startWorkerHealthServer } from './common/worker-health-server';
import { loadNotificationsConfig } from './config';

/** The root of a worker's application context: the role's modules and the metrics registry. */
@Module({})
class WorkerRootModule {}

async function main(): Promise<void> {
  const config = loadNotificationsConfig();
  const logger = createLogger(SERVICE_NAME, config.LOG_LEVEL);
  if (config.NOTIFICATIONS_ROLE === 'worker') {
    // A worker serves no HTTP: it only drains the queues, so any number can run beside the API.
    // The metrics registry too (bootstrapService adds it for the HTTP roles): what a worker sends is
    // measured in the worker (arrival-to-email latency, queue ages) and served on its health port.
    const app = await NestFactory.createApplicationContext(
      { module: WorkerRootModule, imports: [AppModule.forRole(config), MetricsModule] },
      { logger: ['error', 'warn'] },
    );
    // Exit 0 once the jobs in hand are done or the drain timeout has passed (Nest would re-raise the
    // signal and die by it instead); a timed-out drain is logged as a warning.
    app.enableShutdownHooks(undefined, { useProcessExit: true });
    await app.init();
    const metrics = app.get(MetricsService);
    metrics.setServiceName(SERVICE_NAME);
    metrics.scrapeToken = config.METRICS_TOKEN;
    if (config.NOTIFICATIONS_HEALTH_PORT !== undefined) {
      // Left open through the drain (the process exits when it is done), so probes see it alive.
      await startWorkerHealthServer(app.get(HealthRegistry), {
        port: config.NOTIFICATIONS_HEALTH_PORT,
        host: config.HOST,
        instanceId: config.INSTANCE_ID,
        metrics,
      });
    }
    logger.info({ healthPort: config.NOTIFICATIONS_HEALTH_PORT }, 'notifications worker started');
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
