import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { SERVICE_NAMES, type ServiceName } from '../routing/route-table';
import { mergeOpenApi } from './openapi-merge';
import { Clock } from '@app/platform';

const CACHE_MS = 30_000;
const FETCH_TIMEOUT_MS = 2_000;

/** The merged OpenAPI document of all services, cached briefly. */
@Injectable()
export class DocsService {
  private readonly logger = new Logger(DocsService.name);
  private cached: { document: OpenAPIObject; until: number } | undefined;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly clock: Clock,
  ) {}

  async mergedDocument(): Promise<OpenAPIObject> {
    if (this.cached && this.cached.until > this.clock.now().getTime()) return this.cached.document;
    const documents = await Promise.all(
      SERVICE_NAMES.map(async (service) => ({ service, document: await this.fetchDocument(service) })),
    );
    const document = mergeOpenApi(documents);
    // A partial document is kept only briefly so a service coming back shows up soon.
    const complete = documents.every((d) => d.document !== null);
    this.cached = { document, until: this.clock.now().getTime() + (complete ? CACHE_MS : CACHE_MS / 10) };
    return document;
  }

  private async fetchDocument(service: ServiceName): Promise<OpenAPIObject | null> {
    const base = {
      auth: this.config.AUTH_URL,
      tracking: this.config.TRACKING_URL,
      pickup: this.config.PICKUP_URL,
      notifications: this.config.NOTIFICATIONS_URL,
    }[service];
    try {
      const response = await fetch(new URL('/docs-json', base), { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      if (!response.ok) throw new Error(`status ${response.status}`);
      return (await response.json()) as OpenAPIObject;
    } catch (error) {
      this.logger.warn(`No OpenAPI document from ${service}: ${String(error)}`);
      return null;
    }
  }
}
