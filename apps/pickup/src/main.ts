import './tracing';
import { bootstrapService, exitOnBootError } from '@app/platform';
import { AppModule } from './app.module';
import { BATCH_UPLOAD_ROUTE } from './batches/batches.controller';
import { SERVICE_NAME } from './common/event-factory';
import { loadPickupConfig, type PickupConfig } from './config';

async function main(): Promise<void> {
  let config: PickupConfig;
  try {
    config = loadPickupConfig();
  } catch (error) {
    exitOnBootError(error);
  }
  await bootstrapService(AppModule.forRoot(config), {
    name: SERVICE_NAME,
    port: config.PICKUP_PORT,
    bodyLimit: config.PICKUP_BODY_LIMIT,
    // The payment provider's webhook signature covers the exact bytes it sent.
    rawBody: true,
    rawBodyRoutes: [BATCH_UPLOAD_ROUTE],
    logLevel: config.LOG_LEVEL,
    host: config.HOST,
    instanceId: config.INSTANCE_ID,
    metricsToken: config.METRICS_TOKEN,
  });
}

void main();
