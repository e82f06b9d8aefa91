import { type HealthRegistry, isScraper, type MetricsService } from '@app/platform';
import { createServer, type Server, type ServerResponse } from 'node:http';

export interface WorkerHealthServerOptions {
  port: number;
  host: string;
  instanceId: string;
  /**
   * The worker's metrics (what it sends, its queues' ages), served at `/metrics` to the scraper
   * holding `METRICS_TOKEN`, as the HTTP services serve theirs: 404 without a token configured, 401
   * without the right one.
   */
  metrics?: MetricsService;
}

/**
 * `/health/live`, `/health/ready` and `/metrics` for a worker process, which serves no API (role worker): what a
 * supervisor's probes need (Kubernetes restarts a worker whose event loop is stuck, and waits for
 * its stores at start). Same answers as the HTTP services' HealthController; nothing else is served.
 * It stays up through a graceful stop, so a draining worker is not taken for a dead one.
 */
export async function startWorkerHealthServer(
  registry: HealthRegistry,
  { port, host, instanceId, metrics }: WorkerHealthServerOptions,
): Promise<Server> {
  const send = (res: ServerResponse, status: number, body: object) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/metrics' && metrics?.scrapeToken) {
      if (!isScraper(metrics.scrapeToken, req.headers.authorization)) {
        send(res, 401, { statusCode: 401, message: 'a scraper token is required' });
        return;
      }
      metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, {
            'content-type': 'text/plain; version=0.0.4; charset=utf-8',
            'cache-control': 'no-store',
          });
          res.end(text);
        },
        () => send(res, 500, { statusCode: 500, message: 'metrics unavailable' }),
      );
      return;
    }
    if (req.method !== 'GET' || (path !== '/health/live' && path !== '/health/ready')) {
      send(res, 404, { statusCode: 404, message: 'Not Found' });
      return;
    }
    if (path === '/health/live') {
      send(res, 200, { status: 'ok', instanceId });
      return;
    }
    registry.check().then(
      (report) => {
        if (!report.ok) {
          send(res, 503, {
            statusCode: 503,
            message: `Not ready: ${report.failing.join(', ')}`,
            failing: report.failing,
            checks: report.checks,
            instanceId,
          });
        } else if (report.degraded.length > 0) {
          send(res, 200, { status: 'degraded', instanceId, checks: report.checks, degraded: report.degraded });
        } else {
          send(res, 200, { status: 'ok', instanceId, checks: report.checks });
        }
      },
      () => send(res, 503, { statusCode: 503, message: 'Not ready', instanceId }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Probes only: no keep-alive sockets held open past a stop.
  server.keepAliveTimeout = 1000;
  return server;
}
