import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createLabel, createUser, freePort, waitFor } from '@app/testing';
import { scanEvent, scannerKey, startFlow, type Flow } from './flow-helpers';

// Jaeger is started by this spec (not by the shared test infrastructure): only it pays for tracing.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jaeger = require('../../../../tools/stack/jaeger') as {
  install(log: (msg: string) => void): Promise<boolean>;
  start(opts: {
    dataDir: string;
    ports: { otlpPort: number; uiPort: number; grpcPort: number };
    onSpawn: (service: { stop(): Promise<void> }) => void;
  }): Promise<{ service: { stop(): Promise<void> }; env: { OTEL_EXPORTER_OTLP_ENDPOINT: string; JAEGER_URL: string } }>;
};

jest.setTimeout(180_000);

interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  processID: string;
  references: { refType: string; spanID: string; traceID: string }[];
  tags: { key: string; value: unknown }[];
}
interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string }>;
}

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

describe('one trace from a scan to the email it causes (real stack, Jaeger)', () => {
  let flow: Flow;
  let stopJaeger: (() => Promise<void>) | undefined;
  let jaegerUrl: string;
  const dataDir = path.join(ROOT, '.data', `jaeger-${process.pid}`);

  beforeAll(async () => {
    // A cold build of Jaeger takes minutes (CI builds it before the tests; this is then a no-op).
    await jaeger.install((msg) => process.stderr.write(`[trace-flow] ${msg}\n`));
    fs.rmSync(dataDir, { recursive: true, force: true });
    const ports = { otlpPort: await freePort(), uiPort: await freePort(), grpcPort: await freePort() };
    const started = await jaeger.start({ dataDir, ports, onSpawn: () => undefined });
    stopJaeger = () => started.service.stop();
    jaegerUrl = started.env.JAEGER_URL;
    flow = await startFlow({
      OTEL_EXPORTER_OTLP_ENDPOINT: started.env.OTEL_EXPORTER_OTLP_ENDPOINT,
      // Export within a fraction of a second instead of the default 5 s.
      OTEL_BSP_SCHEDULE_DELAY: '200',
    });
  }, 1_200_000);

  afterAll(async () => {
    await flow?.portal.stop();
    await stopJaeger?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function traceOf(requestId: string): Promise<JaegerTrace[]> {
    const tags = encodeURIComponent(JSON.stringify({ 'portal.request_id': requestId }));
    const res = await fetch(`${jaegerUrl}/api/traces?service=gateway&tags=${tags}&lookback=1h&limit=20`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { data: JaegerTrace[] | null }).data ?? [];
  }

  it('links the gateway request, the ingest, the ParcelArrived publish and consume, the planning and the email job', async () => {
    const { api, mailpit } = flow;
    const creator = await createUser(api, mailpit);
    const label = await createLabel(api, creator.accessToken);
    const tn = label.trackingNumber;
    await waitFor(
      async () => {
        const res = await api.get<{ items: { trackingNumber: string }[] }>('/tracking/watchlist', creator.accessToken);
        return res.body.items?.some((i) => i.trackingNumber === tn);
      },
      { timeoutMs: 20_000, intervalMs: 250, description: 'the label on its creator watchlist' },
    );
    const key = await scannerKey(api);

    const requestId = `trace-${randomUUID()}`;
    const posted = await api.call('POST', '/scans', {
      headers: { 'x-api-key': key, 'x-request-id': requestId },
      body: { events: [scanEvent(tn, 'available_for_pickup', new Date())] },
    });
    expect(posted.status).toBe(202);
    await mailpit.waitForMessage({
      to: creator.email,
      subject: `Your parcel ${tn} is available for pickup`,
      timeoutMs: 30_000,
    });

    // Spans arrive from five processes in batches: wait until the email job's span is in.
    const serviceOf = (t: JaegerTrace, s: JaegerSpan) => t.processes[s.processID]?.serviceName;
    const isEmailJob = (t: JaegerTrace, s: JaegerSpan) =>
      serviceOf(t, s) === 'notifications' && s.operationName === 'process email';
    const trace = await waitFor(
      async () => {
        const traces = await traceOf(requestId);
        if (traces.length !== 1) return undefined;
        const [only] = traces;
        const full = (await (await fetch(`${jaegerUrl}/api/traces/${only.traceID}`)).json()) as {
          data: JaegerTrace[];
        };
        const t = full.data[0];
        return t.spans.some((s) => isEmailJob(t, s)) && t;
      },
      { timeoutMs: 30_000, intervalMs: 500, description: 'one trace for the scan request, with its email job' },
    );

    const byId = new Map(trace.spans.map((s) => [s.spanID, s]));
    const parentOf = (s: JaegerSpan) => s.references.find((r) => r.refType === 'CHILD_OF')?.spanID;
    const tag = (s: JaegerSpan, key: string) => s.tags.find((t) => t.key === key)?.value;
    const find = (service: string, match: (s: JaegerSpan) => boolean, what: string): JaegerSpan => {
      const span = trace.spans.find((s) => serviceOf(trace, s) === service && match(s));
      if (!span) {
        const seen = trace.spans.map((s) => `${serviceOf(trace, s)}: ${s.operationName}`).join('\n');
        throw new Error(`no ${what} span in the trace; it holds:\n${seen}`);
      }
      return span;
    };

    // Every span's parent is in the trace, and one span (the gateway's request) is the root.
    const roots = trace.spans.filter((s) => parentOf(s) === undefined);
    expect(roots.map((s) => serviceOf(trace, s))).toEqual(['gateway']);
    for (const span of trace.spans) {
      const parent = parentOf(span);
      if (parent !== undefined) expect(byId.has(parent)).toBe(true);
    }

    const gatewayRequest = roots[0];
    expect(tag(gatewayRequest, 'portal.request_id')).toBe(requestId);
    const trackingRequest = find(
      'tracking',
      (s) => tag(s, 'span.kind') === 'server' && tag(s, 'portal.request_id') === requestId,
      'tracking HTTP request',
    );
    const ingest = find('tracking', (s) => s.operationName.startsWith('process postal.scans'), 'scan ingest');
    const arrivedPublish = find(
      'tracking',
      (s) => s.operationName.startsWith('publish') && tag(s, 'portal.event.type') === 'ParcelArrived',
      'ParcelArrived publish',
    );
    const arrivedConsume = find(
      'notifications',
      (s) => s.operationName.startsWith('process') && tag(s, 'portal.event.type') === 'ParcelArrived',
      'ParcelArrived consume',
    );
    const planning = find('notifications', (s) => s.operationName === 'plan notifications', 'notification planning');
    const emailJob = find('notifications', (s) => isEmailJob(trace, s), 'email job');

    // Each hop hangs under the one before it: HTTP, Kafka (postal.scans), the outbox relay, Kafka
    // (tracking.events), the planning and the BullMQ job.
    const ancestors = (span: JaegerSpan): Set<string> => {
      const out = new Set<string>();
      for (let p = parentOf(span); p !== undefined; p = parentOf(byId.get(p) as JaegerSpan)) out.add(p);
      return out;
    };
    const chain = [gatewayRequest, trackingRequest, ingest, arrivedPublish, arrivedConsume, planning, emailJob];
    for (let i = 1; i < chain.length; i++) {
      expect({ span: chain[i].operationName, under: ancestors(chain[i]).has(chain[i - 1].spanID) }).toEqual({
        span: chain[i].operationName,
        under: true,
      });
    }
    expect(tag(arrivedConsume, 'portal.correlation_id')).toBe(requestId);
  });
});
