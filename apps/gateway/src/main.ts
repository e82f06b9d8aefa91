import './tracing';
import { createLogger, exitOnBootError } from '@app/platform';
import { loadGatewayConfig } from './config';
import { createGatewayApp } from './gateway';

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const logger = createLogger('gateway', config.LOG_LEVEL);
  try {
    const app = await createGatewayApp(config, logger);
    await app.listen(config.GATEWAY_PORT, config.HOST);
    logger.info({ port: config.GATEWAY_PORT, host: config.HOST, instanceId: config.INSTANCE_ID }, 'gateway listening');
  } catch (error) {
    exitOnBootError(error, logger);
  }
}

main().catch((error: unknown) => exitOnBootError(error));
