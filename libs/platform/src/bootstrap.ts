import { DynamicModule, Injectable, Module, OnApplicationBootstrap, RequestMethod, Type } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { closeSchemas, describeErrorBodies, describeValidationRules } from './http/openapi-constraints';
import { type Express, raw, type Request, type Response } from 'express';
import type { LevelWithSilent, Logger } from 'pino';
import { HealthModule } from './health/health.module';
import { AllExceptionsFilter } from './http/all-exceptions.filter';
import { requireJsonBodyExcept, type RawBodyRoute, rawBodyRouteMatches } from './http/content-type';
import { answerClientError } from './http/client-error';
import { fastifyRequestId, installFastifyHttp } from './http/fastify-http';
import { parseBytes } from './http/parse-bytes';
import { requestIdMiddleware } from './http/request-id';
import { requestLog } from './http/request-log';
import { securityHeaders } from './http/security-headers';
import { createValidationPipe } from './http/validation';
import { createLogger, PinoNestLogger } from './logging/logger';
import { httpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { MetricsModule } from './metrics/metrics.module';
import { MetricsService } from './metrics/metrics.service';

export const GLOBAL_PREFIX = 'api/v1';

/** Paths served outside `api/v1` (docs/internal-apis.md). */
export const UNPREFIXED_PATHS = ['/health/live', '/health/ready', '/metrics', '/docs-json', '/.well-known/*'];

/**
 * Idle keep-alive sockets live this long on every service: longer than the gateway agent's idle lifetime
 * (and a typical load balancer's 60 s), so the client side always closes first and never reuses a socket
 * the server is closing.
 */
export const SERVER_KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** Must exceed keepAliveTimeout, or Node may cut a reused socket while the next request's headers arrive. */
export const SERVER_HEADERS_TIMEOUT_MS = SERVER_KEEP_ALIVE_TIMEOUT_MS + 1_000;

/**
 * The HTTP engine under Nest. Fastify answers a request for about half the CPU of Express (README
 * "Performance"), which counts where the HTTP layer is the work (the gateway, tracking's lookups). Auth was
 * measured on Fastify without a gain (argon2id is its work), so it stays on Express with the apps that use
 * Express-only pieces (Bull Board, `@Res()` streams, raw bodies).
 */
export type HttpEngine = 'express' | 'fastify';

export interface ServiceOptions {
  /** HTTP engine; default `express`. */
  http?: HttpEngine;
  /** Service name: in every log line, as the metrics `service` label and the OpenAPI title. */
  name: string;
  port: number;
  /** Largest JSON body accepted (bytes format); default `100kb`. */
  bodyLimit?: string;
  logLevel?: LevelWithSilent;
  /**
   * Parse JSON bodies; default true. The gateway streams bodies instead: on Fastify no body is read at all
   * (every content type is accepted unread), on Express no parser is installed.
   */
  parseJson?: boolean;
  /**
   * Keep each parsed JSON body's bytes as `req.rawBody` too (a signed webhook is checked over the exact
   * bytes); default false.
   */
  rawBody?: boolean;
  /** Answer 415 to POST/PUT/PATCH bodies that are not JSON; default true. */
  jsonOnly?: boolean;
  /**
   * The few routes that take a non-JSON body (a CSV upload): exempt from the JSON-only rule, their body
   * read as bytes (`req.body` a Buffer) up to their own limit; the handler checks the media type. Reading them
   * is Express only; with `parseJson: false` (the gateway, either engine) they are only exempt from the
   * JSON-only rule.
   */
  rawBodyRoutes?: readonly RawBodyRoute[];
  /**
   * Proxy hops in front of the app whose `X-Forwarded-For`/`-Proto` are believed (`req.ip`, `req.protocol`):
   * 0 (default) when the app is the edge. Express's `trust proxy` and Fastify's `trustProxy` with a number.
   */
  trustProxyHops?: number;
  /** Listen address (config `HOST`); default loopback only. */
  host?: string;
  /** Which process this is (config `INSTANCE_ID`), echoed by `/health/live` and `/health/ready`; default random. */
  instanceId?: string;
  /** Bearer token of the Prometheus scraper (config `METRICS_TOKEN`); without one `/metrics` answers 404. */
  metricsToken?: string;
  /** Extra setup of the OpenAPI document (tags, descriptions). */
  swagger?: (builder: DocumentBuilder) => DocumentBuilder;
  /** Log sink; a pino logger is made from name and logLevel when absent (tests pass a silent one). */
  logger?: Logger;
}

/**
 * Fastify attaches hooks to routes when it boots (`ready`): `listen` boots it, but `init()` alone (tests hand
 * the server to supertest) would leave routes without hooks. Runs after Nest registered every route.
 */
@Injectable()
class FastifyBoot implements OnApplicationBootstrap {
  constructor(private readonly host: HttpAdapterHost) {}
  async onApplicationBootstrap(): Promise<void> {
    await this.host.httpAdapter.getInstance<FastifyInstance>().ready();
  }
}

function rootModule(appModule: Type | DynamicModule, instanceId: string, http: HttpEngine): Type {
  @Module({
    imports: [appModule, HealthModule.forRoot(instanceId), MetricsModule],
    providers: http === 'fastify' ? [FastifyBoot] : [],
  })
  class ServiceRootModule {}
  return ServiceRootModule;
}

/**
 * Builds a service app with the shared HTTP shape (logs, request ids, prefix, validation, error filter,
 * body limit, health, metrics, `/docs-json`, shutdown hooks) without listening: tests call `init()`.
 */
export async function createServiceApp(
  appModule: Type | DynamicModule,
  options: ServiceOptions & { http: 'fastify' },
): Promise<NestFastifyApplication>;
export async function createServiceApp(
  appModule: Type | DynamicModule,
  options: ServiceOptions & { http?: 'express' },
): Promise<NestExpressApplication>;
export async function createServiceApp(
  appModule: Type | DynamicModule,
  options: ServiceOptions,
): Promise<NestExpressApplication | NestFastifyApplication>;
export async function createServiceApp(
  appModule: Type | DynamicModule,
  options: ServiceOptions,
): Promise<NestExpressApplication | NestFastifyApplication> {
  return options.http === 'fastify' ? createFastifyApp(appModule, options) : createExpressApp(appModule, options);
}

async function createExpressApp(
  appModule: Type | DynamicModule,
  options: ServiceOptions,
): Promise<NestExpressApplication> {
  const logger = options.logger ?? createLogger(options.name, options.logLevel ?? 'info');
  const app = await NestFactory.create<NestExpressApplication>(
    rootModule(appModule, options.instanceId ?? randomUUID(), 'express'),
    {
      bodyParser: false,
      rawBody: options.rawBody ?? false,
      logger: new PinoNestLogger(logger),
    },
  );
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxyHops ?? 0);
  const server: Server = app.getHttpServer();
  server.keepAliveTimeout = SERVER_KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = SERVER_HEADERS_TIMEOUT_MS;
  server.on('clientError', answerClientError);

  const metrics = app.get(MetricsService);
  metrics.setServiceName(options.name);
  metrics.scrapeToken = options.metricsToken;

  app.use(requestIdMiddleware);
  app.use(securityHeaders());
  app.use(requestLog(logger));
  app.use(httpMetricsMiddleware(metrics));
  const rawRoutes = options.rawBodyRoutes ?? [];
  if (options.jsonOnly ?? true) app.use(requireJsonBodyExcept(rawRoutes));
  // Only a service that parses bodies reads them; the gateway (parseJson false) streams them on untouched.
  for (const route of options.parseJson === false ? [] : rawRoutes) {
    const parse = raw({ type: () => true, limit: route.limit });
    app.use((req: Request, res: Response, next: (error?: unknown) => void) =>
      rawBodyRouteMatches(route, req) ? parse(req, res, next) : next(),
    );
  }
  if (options.parseJson ?? true) app.useBodyParser('json', { limit: options.bodyLimit ?? '100kb' });

  const openApi = setUpNest(app, logger, options);
  const express: Express = app.getHttpAdapter().getInstance();
  express.get('/docs-json', (_req: Request, res: Response) => {
    res.json(openApi());
  });
  return app;
}

/**
 * The same HTTP shape on Fastify (fastify-http.ts): hooks instead of Express middleware, Fastify's JSON
 * parser with the body limit, Express's routing leniency (trailing slash, case) and its ETags.
 */
async function createFastifyApp(
  appModule: Type | DynamicModule,
  options: ServiceOptions,
): Promise<NestFastifyApplication> {
  const logger = options.logger ?? createLogger(options.name, options.logLevel ?? 'info');
  const bodyLimit = parseBytes(options.bodyLimit ?? '100kb');
  const adapter = new FastifyAdapter({
    bodyLimit,
    keepAliveTimeout: SERVER_KEEP_ALIVE_TIMEOUT_MS,
    genReqId: fastifyRequestId,
    clientErrorHandler: answerClientError,
    trustProxy: options.trustProxyHops ?? 0,
    requestIdHeader: false,
    // Requests are logged by fastify-http.ts (one line each, as pino-http did); Fastify's own logger stays off.
    logger: false,
    // Express's routing leniency, which callers may rely on: `/x/` is `/x`, paths match in any case.
    routerOptions: { ignoreTrailingSlash: true, caseSensitive: false },
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    rootModule(appModule, options.instanceId ?? randomUUID(), 'fastify'),
    adapter,
    { bodyParser: false, logger: new PinoNestLogger(logger) },
  );
  const server: Server = app.getHttpServer();
  server.headersTimeout = SERVER_HEADERS_TIMEOUT_MS;

  const metrics = app.get(MetricsService);
  metrics.setServiceName(options.name);
  metrics.scrapeToken = options.metricsToken;
  const fastify = app.getHttpAdapter().getInstance();
  installFastifyHttp(fastify, {
    logger,
    metrics,
    bodyLimit,
    jsonOnly: options.jsonOnly ?? true,
    parseJson: options.parseJson ?? true,
    rawBodyRoutes: options.rawBodyRoutes ?? [],
  });

  const openApi = setUpNest(app, logger, options);
  fastify.get('/docs-json', () => openApi());
  return app;
}

/** Prefix, validation, error filter and shutdown hooks; returns the OpenAPI document's builder (lazy). */
function setUpNest(
  app: NestExpressApplication | NestFastifyApplication,
  logger: Logger,
  options: ServiceOptions,
): () => OpenAPIObject {
  app.setGlobalPrefix(GLOBAL_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
      { path: 'docs-json', method: RequestMethod.GET },
      { path: '.well-known/*path', method: RequestMethod.ALL },
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter(logger, app.getHttpAdapter()));
  app.enableShutdownHooks();

  let builder = new DocumentBuilder().setTitle(`${options.name} service`).setVersion('1').addBearerAuth();
  if (options.swagger) builder = options.swagger(builder);
  let document: OpenAPIObject | undefined;
  // Built on first request: every controller is registered by then.
  return () => {
    if (document) return document;
    // The document states the validation rules (patterns, lengths, ranges, enums, required, no extra fields).
    describeValidationRules();
    document = describeErrorBodies(closeSchemas(SwaggerModule.createDocument(app, builder.build())));
    return document;
  };
}

/** Creates the app and listens; on any boot error (config included) logs it and exits with status 1. */
export async function bootstrapService(
  appModule: Type | DynamicModule,
  options: ServiceOptions,
): Promise<NestExpressApplication | NestFastifyApplication> {
  const logger = options.logger ?? createLogger(options.name, options.logLevel ?? 'info');
  try {
    const app = await createServiceApp(appModule, { ...options, logger });
    await app.listen(options.port, options.host ?? '127.0.0.1');
    logger.info(
      { port: options.port, host: options.host, instanceId: options.instanceId },
      `${options.name} listening`,
    );
    return app;
  } catch (error) {
    exitOnBootError(error, logger);
  }
}

/** Logs a boot failure (a config error prints its list of bad variables) and exits 1. */
export function exitOnBootError(error: unknown, logger?: Logger): never {
  const message = error instanceof Error ? error.message : String(error);
  if (logger) logger.fatal({ err: error }, message);
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
