import './tracing';
import { bootstrapService, exitOnBootError } from '@app/platform';
import { AppModule, HTTP_ENGINE, SERVICE_NAME } from './app.module';
import { loadTrackingConfig, type TrackingConfig } from './config';

async function main(): Promise<void> {
  let config: TrackingConfig;
  try {
    config = loadTrackingConfig();
  } catch (error) {
    exitOnBootError(error);
  }
  await bootstrapService(AppModule.forRoot(config), {
    http: HTTP_ENGINE,
    name: SERVICE_NAME,
    port: config.TRACKING_PORT,
    bodyLimit: config.TRACKING_BODY_LIMIT,
    logLevel: config.LOG_LEVEL,
    host: config.HOST,
    instanceId: config.INSTANCE_ID,
    metricsToken: config.METRICS_TOKEN,
  });
}

void main();
