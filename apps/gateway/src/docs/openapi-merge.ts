import type { OpenAPIObject } from '@nestjs/swagger';

export interface ServiceDocument {
  service: string;
  document: OpenAPIObject | null;
}

/** Paths that each service serves for operators, not for API clients. */
const HIDDEN_PATH = /^\/(health\/|metrics$|docs-json$|api\/v1\/internal\/)/;

/**
 * Merges the services' documents into one: paths and components side by side (a schema name defined
 * twice keeps the first definition), tags deduplicated, services that did not answer listed in
 * `x-unavailable-services`.
 */
export function mergeOpenApi(documents: ServiceDocument[]): OpenAPIObject {
  const merged: OpenAPIObject = {
    openapi: '3.0.0',
    info: { title: 'Postal portal API', version: '1', description: 'All public routes, through the gateway.' },
    paths: {},
    components: {
      schemas: {},
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
      },
    },
    tags: [],
  };
  const unavailable: string[] = [];
  const tags = new Map<string, NonNullable<OpenAPIObject['tags']>[number]>();
  for (const { service, document } of documents) {
    if (!document) {
      unavailable.push(service);
      continue;
    }
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      if (!HIDDEN_PATH.test(path) && !(path in merged.paths)) merged.paths[path] = item;
    }
    for (const [kind, entries] of Object.entries(document.components ?? {})) {
      if (kind === 'securitySchemes' || typeof entries !== 'object' || entries === null) continue;
      const target = ((merged.components as Record<string, Record<string, unknown>>)[kind] ??= {});
      for (const [name, value] of Object.entries(entries as Record<string, unknown>)) target[name] ??= value;
    }
    for (const tag of document.tags ?? []) if (!tags.has(tag.name)) tags.set(tag.name, tag);
  }
  merged.tags = [...tags.values()];
  if (unavailable.length > 0) (merged as unknown as Record<string, unknown>)['x-unavailable-services'] = unavailable;
  return merged;
}
