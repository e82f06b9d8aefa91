import { createLogger, exitOnBootError } from '@app/platform';
import { loadGatewayConfig } from './config';
import { createGatewayApp } from './gateway';

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const logger = createLogger('gateway', config.LOG_LEVEL);
  try {
    const app = await createGatewayApp(config, logger);
    await app.listen(config.GATEWAY_PORT, '0.0.0.0');
    logger.info({ port: config.GATEWAY_PORT }, 'gateway listening');
  } catch (error) {
    exitOnBootError(error, logger);
  }
}

main().catch((error: unknown) => exitOnBootError(error));
