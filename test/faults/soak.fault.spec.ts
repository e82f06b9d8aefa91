import { APP_NAMES, startPortal, type AppName, type Portal } from '@app/testing';
import { randomUUID } from 'node:crypto';
import { newTrackingNumbers } from './support/scans';
import { report, size, sleep } from './support/sizes';

const minutes = size('FAULTS_SOAK_MINUTES', 2, 10);
const ratePerSecond = size('FAULTS_SOAK_RATE', 10);
const durationMs = minutes * 60_000;
// Memory settles once the code paths are warm: what comes after this share of the run is compared.
const warmUpMs = Math.max(20_000, durationMs * 0.25);
const sampleEveryMs = 3000;
jest.setTimeout(durationMs + 300_000);

const PASSWORD = 'Soak-Test-Passw0rd-Long!';
const OPERATOR = { username: 'soakoperator', password: 'Operator-Passw0rd-Long!' };
const address = {
  name: 'ADA LOVELACE',
  line1: '1600 PENNSYLVANIA AVE NW',
  city: 'WASHINGTON',
  state: 'DC',
  zip: '20500',
};
const toAddress = { name: 'ALAN TURING', line1: '1437 BANNOCK ST', city: 'DENVER', state: 'CO', zip: '80202' };

/** A weekday 3 to 9 days ahead that is neither a Sunday nor Saturday (holidays still answer 4xx). */
function pickupDate(): string {
  const d = new Date(Date.now() + (3 + Math.floor(Math.random() * 7)) * 86_400_000);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

interface MemorySample {
  rss: number;
  heapUsed: number;
}

async function memory(portal: Portal, app: AppName): Promise<MemorySample> {
  const text = await fetch(`${portal.urls[app]}/metrics`, {
    headers: { authorization: `Bearer ${portal.env.METRICS_TOKEN}` },
    signal: AbortSignal.timeout(5000),
  }).then((r) => r.text());
  const value = (name: string) => {
    // `name{labels} value` or `name value`
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
    if (!line) throw new Error(`${app} /metrics has no ${name}`);
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  };
  return { rss: value('process_resident_memory_bytes'), heapUsed: value('nodejs_heap_size_used_bytes') };
}

describe('soak through the gateway', () => {
  let portal: Portal | undefined;

  afterAll(async () => {
    await portal?.stop();
  });

  it('answers mixed traffic with no 5xx and bounded memory growth', async () => {
    portal = await startPortal({
      env: {
        GATEWAY_RATE_LIMIT_PER_MINUTE: '1000000',
        GATEWAY_AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
        GATEWAY_TRACKING_RATE_LIMIT_PER_MINUTE: '1000000',
        GATEWAY_TRACKING_BATCH_RATE_LIMIT_PER_MINUTE: '1000000',
        // Five users make every label of the run: more than the default 100 per account per hour.
        PICKUP_LABEL_RATE_LIMIT: '1000000',
        PORTAL_OPERATOR_USERNAME: OPERATOR.username,
        PORTAL_OPERATOR_PASSWORD: OPERATOR.password,
        PORTAL_LOG_LEVEL: 'warn',
        LOG_LEVEL: 'warn',
      },
      readyTimeoutMs: 120_000,
    });
    const base = `${portal.gatewayUrl}/api/v1`;
    const statuses = new Map<string, Map<number, number>>();
    const serverErrors: string[] = [];
    const call = async (
      op: string,
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(30_000),
      }).catch((error: unknown) => ({ status: 0, error }) as const);
      const status = res.status;
      const byOp = statuses.get(op) ?? new Map<number, number>();
      byOp.set(status, (byOp.get(status) ?? 0) + 1);
      statuses.set(op, byOp);
      if (status >= 500 || status === 0) {
        const text = 'text' in res ? await res.text().catch(() => '') : String(res.error);
        if (serverErrors.length < 20) serverErrors.push(`${op} ${status} ${text.slice(0, 200)}`);
        return undefined;
      }
      return 'json' in res ? ((await res.json().catch(() => ({}))) as Record<string, unknown>) : undefined;
    };
    const login = async (username: string, password: string) =>
      (await call('login', 'POST', '/auth/login', { username, password }))?.accessToken as string | undefined;

    const operatorToken = await login(OPERATOR.username, OPERATOR.password);
    expect(operatorToken).toBeDefined();
    const apiKey = (
      await call(
        'setup',
        'POST',
        '/admin/api-keys',
        { name: 'soak scanner', roles: ['scanner'] },
        {
          authorization: `Bearer ${operatorToken}`,
        },
      )
    )?.key as string;
    expect(apiKey).toBeDefined();
    const run = randomUUID().slice(0, 6);
    const users = await Promise.all(
      Array.from({ length: 5 }, async (_, i) => {
        const username = `soak${run}${i}`;
        await call('register', 'POST', '/auth/register', {
          username,
          password: PASSWORD,
          email: `${username}@soak.faults.example`,
          firstName: 'Soak',
          lastName: `User${i}`,
          accountType: 'personal',
          address,
        });
        return { username, token: await login(username, PASSWORD) };
      }),
    );
    const labelled: string[] = newTrackingNumbers(20);
    const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)];
    const auth = () => ({ authorization: `Bearer ${pick(users).token}` });
    let scanStep = 0;
    const ops: (() => Promise<unknown>)[] = [
      () => call('lookup', 'GET', `/tracking/${pick(labelled)}`),
      () => call('lookup', 'GET', `/tracking?numbers=${labelled.slice(0, 5).join(',')}`),
      async () => {
        const u = pick(users);
        u.token = (await login(u.username, PASSWORD)) ?? u.token;
      },
      async () => {
        const label = await call(
          'label',
          'POST',
          '/labels',
          {
            from: address,
            to: toAddress,
            weightOz: 12,
            service: 'priority',
            payment: { method: 'card', paymentMethodId: 'pm_card_visa' },
          },
          auth(),
        );
        if (typeof label?.trackingNumber === 'string') labelled.push(label.trackingNumber);
      },
      () =>
        call(
          'pickup',
          'POST',
          '/pickups',
          {
            address,
            date: pickupDate(),
            packageLocation: 'front_door',
            packages: { priorityExpress: 0, priority: 1, groundAdvantage: 0, returns: 0, international: 0, other: 0 },
            estimatedWeightLb: 2,
            contact: { email: 'soak@soak.faults.example' },
          },
          auth(),
        ),
      () => {
        const step = scanStep++;
        const codes = ['accepted', 'processed', 'in_transit', 'out_for_delivery'];
        return call(
          'scans',
          'POST',
          '/scans',
          {
            events: [
              {
                eventId: randomUUID(),
                trackingNumber: pick(labelled),
                code: codes[step % codes.length],
                occurredAt: new Date(Date.now() - 60_000).toISOString(),
                facility: { name: 'DENVER MAIN POST OFFICE', city: 'DENVER', state: 'CO', zip: '80202' },
              },
            ],
          },
          { 'x-api-key': apiKey },
        );
      },
      () => call('stamps', 'GET', '/stamps'),
      () => call('quote', 'POST', '/labels/quote', { fromZip: '20500', toZip: '80202', weightOz: 12 }),
    ];

    const apps = [...APP_NAMES];
    // Memory is sampled all along: one reading is at the mercy of when V8 last collected, a window of them is not.
    const samples: { at: number; byApp: Record<string, MemorySample> }[] = [];
    const started = Date.now();
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const at = Date.now() - started;
        const byApp = Object.fromEntries(
          await Promise.all(apps.map(async (a) => [a, await memory(portal!, a)] as const)),
        );
        samples.push({ at, byApp });
        await sleep(sampleEveryMs);
      }
    })();
    const inFlight = new Set<Promise<unknown>>();
    let sent = 0;
    while (Date.now() - started < durationMs) {
      const p = pick(ops)().finally(() => inFlight.delete(p));
      inFlight.add(p);
      sent++;
      await sleep(1000 / ratePerSecond);
    }
    await Promise.all(inFlight);
    sampling = false;
    await sampler;

    // V8 grows the heap and hands memory back in cycles of a minute or so, so two single readings
    // mostly measure where in its cycle each fell. The time after warm-up is split in two halves and
    // each is summed up by its peak RSS (the footprint) and its lowest heap use (about what survives
    // a collection): a leak raises both from the first half to the second, a GC cycle does not.
    const middle = warmUpMs + (durationMs - warmUpMs) / 2;
    const firstHalf = samples.filter((s) => s.at >= warmUpMs && s.at < middle);
    const secondHalf = samples.filter((s) => s.at >= middle);
    expect(firstHalf.length).toBeGreaterThan(2);
    expect(secondHalf.length).toBeGreaterThan(2);
    const mb = (n: number) => Math.round(n / 1_048_576);
    const percent = (before: number, after: number) => Number((((after - before) / before) * 100).toFixed(1));
    const figures = Object.fromEntries(
      apps.map((a) => {
        const rss = [firstHalf, secondHalf].map((half) => Math.max(...half.map((s) => s.byApp[a].rss)));
        const heap = [firstHalf, secondHalf].map((half) => Math.min(...half.map((s) => s.byApp[a].heapUsed)));
        return [
          a,
          {
            peakRssMb: rss.map(mb),
            rssGrowthPercent: percent(rss[0], rss[1]),
            liveHeapMb: heap.map(mb),
            heapGrowthPercent: percent(heap[0], heap[1]),
          },
        ] as const;
      }),
    );
    report('11 soak', {
      minutes,
      requests: sent,
      statuses: Object.fromEntries([...statuses].map(([op, m]) => [op, Object.fromEntries(m)])),
      samples: samples.length,
      memory: figures,
      serverErrors,
    });
    expect(serverErrors).toEqual([]);
    const growing = Object.entries(figures).filter(([, f]) => f.rssGrowthPercent >= 20 || f.heapGrowthPercent >= 20);
    expect(growing).toEqual([]);
  });
});
