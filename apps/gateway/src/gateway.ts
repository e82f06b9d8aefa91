import { BATCH_UPLOAD_PATH, MAX_BATCH_CSV_BYTES } from '@app/contracts';
import { createServiceApp, webCsp } from '@app/platform';
import type { NestExpressApplication } from '@nestjs/platform-express';
import * as path from 'node:path';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import type { GatewayConfig } from './config';
import { swaggerUiRouter } from './docs/swagger-ui';
import { EdgeMiddleware } from './edge.middleware';
import { webStatic } from './web/web-static';

/** Builds the gateway app (not listening), so main and the e2e tests run the same setup. */
export async function createGatewayApp(config: GatewayConfig, logger?: Logger): Promise<NestExpressApplication> {
  const app = await createServiceApp(AppModule.forRoot(config), {
    name: 'gateway',
    port: config.GATEWAY_PORT,
    logLevel: config.LOG_LEVEL,
    instanceId: config.INSTANCE_ID,
    metricsToken: config.METRICS_TOKEN,
    logger,
    // Bodies stream through untouched; the owning service parses them (and answers 400 to bad JSON).
    parseJson: false,
    jsonOnly: true,
    // The batch upload's body is a CSV (issue 18): let it through to pickup, which checks it.
    rawBodyRoutes: [{ method: 'POST', path: BATCH_UPLOAD_PATH, limit: MAX_BATCH_CSV_BYTES }],
  });
  app.set('trust proxy', config.GATEWAY_TRUST_PROXY_HOPS);
  app.enableCors({
    origin: config.GATEWAY_CORS_ORIGINS,
    credentials: true,
    exposedHeaders: ['x-request-id', 'retry-after'],
    maxAge: 600,
  });
  app.use(swaggerUiRouter());
  app.use(app.get(EdgeMiddleware).handler());
  // After the edge: API paths are proxied before this, and it leaves /health, /metrics and the rest to Nest.
  const web = webStatic(path.resolve(config.GATEWAY_WEB_DIR), {
    csp: webCsp({ stripe: config.STRIPE_PUBLISHABLE_KEY !== undefined }),
  });
  if (web) app.use(web);
  return app;
}
