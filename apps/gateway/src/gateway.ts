import { BATCH_UPLOAD_PATH, MAX_BATCH_CSV_BYTES } from '@app/contracts';
import { createServiceApp, webCsp } from '@app/platform';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import * as path from 'node:path';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import type { GatewayConfig } from './config';
import { registerSwaggerUi } from './docs/swagger-ui';
import { EdgeHook } from './edge.hook';
import { webStatic } from './web/web-static';

/**
 * Builds the gateway app (not listening), so main and the e2e tests run the same setup. Fastify (issue 14):
 * the edge is one request hook and proxied bodies stream on Node's own request and response.
 */
export async function createGatewayApp(config: GatewayConfig, logger?: Logger): Promise<NestFastifyApplication> {
  const app = await createServiceApp(AppModule.forRoot(config), {
    http: 'fastify',
    name: 'gateway',
    port: config.GATEWAY_PORT,
    logLevel: config.LOG_LEVEL,
    instanceId: config.INSTANCE_ID,
    metricsToken: config.METRICS_TOKEN,
    logger,
    trustProxyHops: config.GATEWAY_TRUST_PROXY_HOPS,
    // Bodies stream through untouched; the owning service parses them (and answers 400 to bad JSON).
    parseJson: false,
    jsonOnly: true,
    // The batch upload's body is a CSV (issue 18): let it through to pickup, which checks it.
    rawBodyRoutes: [{ method: 'POST', path: BATCH_UPLOAD_PATH, limit: MAX_BATCH_CSV_BYTES }],
  });
  app.enableCors({
    origin: config.GATEWAY_CORS_ORIGINS,
    credentials: true,
    exposedHeaders: ['x-request-id', 'retry-after'],
    maxAge: 600,
    // As Express's cors did: any OPTIONS is answered as a preflight, a 400 for missing preflight headers would be new.
    strictPreflight: false,
  });
  const web = webStatic(path.resolve(config.GATEWAY_WEB_DIR), {
    csp: webCsp({ stripe: config.STRIPE_PUBLISHABLE_KEY !== undefined }),
  });
  const fastify = app.getHttpAdapter().getInstance();
  registerSwaggerUi(fastify);
  // After the platform's hooks; API paths are proxied here, the portal's files served to what nothing else answers.
  app.get(EdgeHook).install(fastify, web);
  return app;
}
