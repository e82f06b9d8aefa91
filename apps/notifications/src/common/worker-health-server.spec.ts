import { HealthRegistry, MetricsService } from '@app/platform';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { startWorkerHealthServer } from './worker-health-server';

describe('worker health server', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  const start = async (registry: HealthRegistry) => {
    server = await startWorkerHealthServer(registry, { port: 0, host: '127.0.0.1', instanceId: 'worker-1' });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return async (path: string, method = 'GET') => {
      const res = await fetch(`${base}${path}`, { method });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
  };

  it('answers live, and ready only when every critical check passes', async () => {
    const registry = new HealthRegistry();
    let mongoUp = true;
    registry.register('mongo', () => (mongoUp ? Promise.resolve() : Promise.reject(new Error('down'))));
    registry.register('kafka', () => Promise.reject(new Error('down')), { critical: false });
    const get = await start(registry);

    expect(await get('/health/live')).toEqual({ status: 200, body: { status: 'ok', instanceId: 'worker-1' } });
    expect(await get('/health/ready')).toEqual({
      status: 200,
      body: { status: 'degraded', instanceId: 'worker-1', checks: { mongo: 'up', kafka: 'down' }, degraded: ['kafka'] },
    });
    mongoUp = false;
    const notReady = await get('/health/ready');
    expect(notReady.status).toBe(503);
    expect(notReady.body).toMatchObject({ message: 'Not ready: mongo', failing: ['mongo'] });
    // Still alive: a store outage is not a reason to restart the process.
    expect((await get('/health/live')).status).toBe(200);
  });

  it('serves nothing but the two health routes', async () => {
    const get = await start(new HealthRegistry());
    expect((await get('/metrics')).status).toBe(404);
    expect((await get('/health/live', 'POST')).status).toBe(404);
    expect((await get('/health/ready?x=1')).status).toBe(200);
  });

  it("serves the worker's metrics to the scraper holding METRICS_TOKEN, and to no one else", async () => {
    const metrics = new MetricsService();
    metrics.counter('worker_probe_total', 'a counter of this test').inc(3);
    const token = 'a-scraper-token-of-this-test';
    const plain = await startWorkerHealthServer(new HealthRegistry(), {
      port: 0,
      host: '127.0.0.1',
      instanceId: 'w',
      metrics,
    });
    server = plain;
    const url = `http://127.0.0.1:${(plain.address() as AddressInfo).port}/metrics`;
    // No token configured: the route does not exist, as on the HTTP services.
    expect((await fetch(url)).status).toBe(404);

    metrics.scrapeToken = token;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { Authorization: 'Bearer wrong-token-of-this-test' } })).status).toBe(401);
    const scraped = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get('content-type')).toContain('text/plain');
    expect(await scraped.text()).toContain('worker_probe_total 3');
  });

  it('refuses to start on a port in use', async () => {
    const first = await startWorkerHealthServer(new HealthRegistry(), { port: 0, host: '127.0.0.1', instanceId: 'a' });
    try {
      const { port } = first.address() as AddressInfo;
      await expect(
        startWorkerHealthServer(new HealthRegistry(), { port, host: '127.0.0.1', instanceId: 'b' }),
      ).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await new Promise<void>((resolve) => first.close(() => resolve()));
    }
  });
});
