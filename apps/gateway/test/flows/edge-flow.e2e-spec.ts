import { randomUUID } from 'node:crypto';
import { APP_NAMES, createUser, type HttpResult } from '@app/testing';
import { startFlow, type Flow } from './flow-helpers';

jest.setTimeout(180_000);

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  requestId: string;
}

describe('the edge: errors, docs and health (real stack)', () => {
  let flow: Flow;

  beforeAll(async () => {
    flow = await startFlow();
  });

  afterAll(async () => {
    await flow?.portal.stop();
  });

  /** Sends a request with a known request id and checks the answer is a 4xx in the API error shape. */
  async function expectClientError(
    status: number,
    send: (requestId: string) => Promise<HttpResult<ErrorBody>>,
  ): Promise<ErrorBody> {
    const requestId = randomUUID();
    const res = await send(requestId);
    expect({ status: res.status, body: res.body }).toEqual({
      status,
      body: expect.objectContaining({
        statusCode: status,
        error: expect.any(String),
        message: expect.anything(),
        requestId,
      }),
    });
    expect(res.headers.get('x-request-id')).toBe(requestId);
    return res.body;
  }

  it('answers malformed JSON with 400', async () => {
    await expectClientError(400, (id) =>
      flow.api.call('POST', '/auth/login', { headers: { 'x-request-id': id }, body: '{"username": "a",' }),
    );
    const user = await createUser(flow.api, flow.mailpit);
    await expectClientError(400, (id) =>
      flow.api.call('POST', '/labels', { token: user.accessToken, headers: { 'x-request-id': id }, body: '{not json' }),
    );
  });

  it('refuses a body of the wrong content type with 415', async () => {
    const body = await expectClientError(415, (id) =>
      flow.api.call('POST', '/auth/login', {
        headers: { 'x-request-id': id, 'content-type': 'text/plain' },
        body: 'username=a&password=b',
      }),
    );
    expect(body).toMatchObject({ error: 'Unsupported Media Type' });
  });

  it('refuses an oversized body with 413', async () => {
    const big = JSON.stringify({ username: 'a', password: 'x'.repeat(2 * 1024 * 1024) });
    await expectClientError(413, (id) =>
      flow.api.call('POST', '/auth/login', { headers: { 'x-request-id': id }, body: big }),
    );
  });

  it('answers an unknown route and an internal route with 404', async () => {
    await expectClientError(404, (id) => flow.api.call('GET', '/no-such-thing', { headers: { 'x-request-id': id } }));
    await expectClientError(404, (id) =>
      flow.api.call('POST', '/internal/api-keys/token', { headers: { 'x-request-id': id }, body: { key: 'x' } }),
    );
  });

  it('answers unknown fields with 400 and a missing token with 401', async () => {
    await expectClientError(400, (id) =>
      flow.api.call('POST', '/labels/quote', {
        headers: { 'x-request-id': id },
        body: { fromZip: '60601', toZip: '80202', weightOz: 20, surprise: true },
      }),
    );
    await expectClientError(401, (id) => flow.api.call('GET', '/labels', { headers: { 'x-request-id': id } }));
  });

  it('serves one OpenAPI document with the paths of all four services', async () => {
    const docs = await flow.edge.get<{ openapi: string; paths: Record<string, unknown> }>('/api/docs-json');
    expect(docs.status).toBe(200);
    const paths = Object.keys(docs.body.paths);
    const wanted = [
      '/api/v1/auth/login',
      '/api/v1/me/addresses',
      '/api/v1/tracking/{trackingNumber}',
      '/api/v1/scans',
      '/api/v1/labels',
      '/api/v1/pickups',
      '/api/v1/notifications/preferences',
      '/api/v1/support/cases',
    ];
    expect(wanted.filter((p) => !paths.includes(p))).toEqual([]);
    expect(paths.filter((p) => p.startsWith('/api/v1/internal'))).toEqual([]);
  });

  it('reports every app ready, with the state of each dependency', async () => {
    const expected: Record<string, Record<string, string>> = {
      gateway: { redis: 'up' },
      auth: { mongo: 'up', redis: 'up', kafka: 'up' },
      tracking: { mongo: 'up', kafka: 'up', redis: 'up' },
      pickup: { mongo: 'up', redis: 'up', kafka: 'up' },
      notifications: { mongo: 'up', redis: 'up', kafka: 'up' },
    };
    for (const app of APP_NAMES) {
      const res = await fetch(`${flow.portal.urls[app]}/health/ready`);
      const body = (await res.json()) as { status: string; checks: Record<string, string> };
      expect({ app, status: res.status, body }).toEqual({
        app,
        status: 200,
        body: expect.objectContaining({ status: 'ok', checks: expected[app] }),
      });
    }
  });
});
