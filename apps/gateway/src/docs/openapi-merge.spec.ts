import type { OpenAPIObject } from '@nestjs/swagger';
import { mergeOpenApi } from './openapi-merge';

const doc = (paths: string[], schemas: Record<string, unknown>, tags: string[]): OpenAPIObject => ({
  openapi: '3.0.0',
  info: { title: 't', version: '1' },
  paths: Object.fromEntries(paths.map((p) => [p, { get: { responses: {} } }])),
  components: { schemas: schemas as never },
  tags: tags.map((name) => ({ name })),
});

describe('mergeOpenApi', () => {
  it('puts every service path and schema in one document', () => {
    const merged = mergeOpenApi([
      {
        service: 'auth',
        document: doc(['/api/v1/auth/login', '/health/live'], { LoginDto: { type: 'object' } }, ['auth']),
      },
      {
        service: 'tracking',
        document: doc(['/api/v1/tracking/{n}'], { TrackingDto: { type: 'object' } }, ['tracking', 'health']),
      },
    ]);
    expect(Object.keys(merged.paths)).toEqual(['/api/v1/auth/login', '/api/v1/tracking/{n}']);
    expect(Object.keys(merged.components?.schemas ?? {})).toEqual(['LoginDto', 'TrackingDto']);
    expect(merged.tags?.map((t) => t.name)).toEqual(['auth', 'tracking', 'health']);
  });

  it('hides internal routes and lists services that did not answer', () => {
    const merged = mergeOpenApi([
      { service: 'auth', document: doc(['/api/v1/internal/api-keys/token', '/api/v1/me'], {}, []) },
      { service: 'pickup', document: null },
    ]);
    expect(Object.keys(merged.paths)).toEqual(['/api/v1/me']);
    expect((merged as unknown as Record<string, unknown>)['x-unavailable-services']).toEqual(['pickup']);
  });
});
