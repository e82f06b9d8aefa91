import './tracing';
import { bootstrapService, exitOnBootError } from '@app/platform';
import { AuthAppModule } from './app.module';
import { loadAuthConfig, type AuthConfig } from './config';

let config: AuthConfig;
try {
  config = loadAuthConfig();
} catch (error) {
  exitOnBootError(error);
}

void bootstrapService(AuthAppModule.forRoot(config), {
  name: 'auth',
  port: config.AUTH_PORT,
  logLevel: config.LOG_LEVEL,
  host: config.HOST,
  instanceId: config.INSTANCE_ID,
  metricsToken: config.METRICS_TOKEN,
});
