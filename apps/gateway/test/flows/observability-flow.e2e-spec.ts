import { APP_NAMES, createLabel, createUser, login, produce, TEST_TO, waitFor, type AppName } from '@app/testing';
import {
  dashboardQueries,
  exportedFamilies,
  ruleQueries,
  seriesNames,
  unknownNames,
} from '../../../../tools/deploy/src/prometheus-names';
import { postScans, scanEvent, scannerKey, startFlow, type Flow } from './flow-helpers';

jest.setTimeout(240_000);

/** The sum of the samples of `name` whose labels include `labels` (undefined when there is none). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  let total: number | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const [, rawLabels = '', value] = /^[^{ ]+(?:\{(.*)\})? (\S+)$/.exec(line) ?? [];
    if (Object.entries(labels).every(([k, v]) => rawLabels.includes(`${k}="${v}"`))) {
      total = (total ?? 0) + Number(value);
    }
  }
  return total;
}

describe('metrics behind the SLOs, scraped from the running apps (real stack)', () => {
  let flow: Flow;
  const scrape = async (app: AppName): Promise<string> => {
    const res = await fetch(`${flow.portal.urls[app]}/metrics`, {
      headers: { authorization: `Bearer ${flow.portal.env.METRICS_TOKEN}` },
    });
    expect(res.status).toBe(200);
    return res.text();
  };
  /** Waits until `read` of a fresh scrape of `app` satisfies `ok`, and returns that scrape. */
  const scrapeUntil = (app: AppName, ok: (text: string) => boolean, description: string) =>
    waitFor(
      async () => {
        const text = await scrape(app);
        return ok(text) && text;
      },
      { timeoutMs: 60_000, intervalMs: 500, description },
    );

  beforeAll(async () => {
    flow = await startFlow({ NOTIFICATIONS_METRICS_REFRESH_MS: '500', KAFKA_LAG_METRICS_INTERVAL_MS: '1000' });
  });

  afterAll(async () => {
    await flow?.portal.stop();
  });

  it('times an arrival scan to its "available for pickup" email, and tracking lookups at the edge', async () => {
    const { api, mailpit } = flow;
    const creator = await createUser(api, mailpit);
    const label = await createLabel(api, creator.accessToken, { to: TEST_TO });
    const tn = label.trackingNumber;
    const key = await scannerKey(api);
    expect((await postScans(api, key, [scanEvent(tn, 'accepted', new Date())])).status).toBe(202);
    const arrivedAt = new Date(Date.now() + 1);
    expect((await postScans(api, key, [scanEvent(tn, 'available_for_pickup', arrivedAt)])).status).toBe(202);
    const subject = `Your parcel ${tn} is available for pickup`;
    await mailpit.waitForMessage({ to: creator.email, subject, timeoutMs: 60_000 });
    const emailedWithin = (Date.now() - arrivedAt.getTime()) / 1000;

    const arrival = { kind: 'available_for_pickup', channel: 'email', service: 'notifications' };
    const notifications = await scrapeUntil(
      'notifications',
      (t) => (sample(t, 'notifications_event_to_sent_seconds_count', arrival) ?? 0) >= 1,
      'the arrival email in notifications_event_to_sent_seconds',
    );
    const seconds = sample(notifications, 'notifications_event_to_sent_seconds_sum', arrival) ?? -1;
    expect(seconds).toBeGreaterThanOrEqual(0);
    expect(seconds).toBeLessThanOrEqual(emailedWithin + 5);
    expect(sample(notifications, 'notifications_event_to_sent_seconds_bucket', { ...arrival, le: '30' })).toBe(
      sample(notifications, 'notifications_event_to_sent_seconds_count', arrival),
    );

    const lookups = { service: 'gateway', route: 'tracking /api/v1/tracking/:trackingNumber', status_code: '200' };
    const before = sample(await scrape('gateway'), 'http_request_duration_seconds_count', lookups) ?? 0;
    for (let i = 0; i < 3; i++) expect((await api.get(`/tracking/${tn}`)).status).toBe(200);
    expect((await api.get(`/tracking?numbers=${tn}`)).status).toBe(200);
    const gateway = await scrape('gateway');
    expect(sample(gateway, 'http_request_duration_seconds_count', lookups)).toBe(before + 3);
    expect(sample(gateway, 'http_request_duration_seconds_bucket', { ...lookups, le: '0.25' })).toBeDefined();
    expect(
      sample(gateway, 'http_request_duration_seconds_count', {
        route: 'tracking /api/v1/tracking?numbers',
        status_code: '200',
      }),
    ).toBe(1);
    // Scans are their own route, not lookups.
    expect(
      sample(gateway, 'http_request_duration_seconds_count', { route: 'tracking /api/v1/scans', status_code: '202' }),
    ).toBe(2);
  });

  it('counts logins by outcome', async () => {
    const { api, mailpit } = flow;
    const user = await createUser(api, mailpit);
    const read = async () => {
      const text = await scrape('auth');
      return {
        success: sample(text, 'auth_login_duration_seconds_count', { outcome: 'success' }) ?? 0,
        refused: sample(text, 'auth_login_duration_seconds_count', { outcome: 'refused' }) ?? 0,
        fastSuccess: sample(text, 'auth_login_duration_seconds_bucket', { outcome: 'success', le: '1' }),
      };
    };
    const before = await read();
    await login(api, user.username, user.password);
    expect((await api.post('/auth/login', { username: user.username, password: 'wrong password 0000' })).status).toBe(
      401,
    );
    const after = await read();
    expect(after.success).toBe(before.success + 1);
    expect(after.refused).toBe(before.refused + 1);
    expect(after.fastSuccess).toBeDefined();
  });

  it('reports consumer lag per group, topic and partition, and counts dead-lettered messages', async () => {
    const partitions = Number(flow.portal.env.KAFKA_PARTITIONS ?? process.env.KAFKA_PARTITIONS ?? '3');
    const lagOf = (text: string, group: string, topic: string) =>
      [...Array(partitions).keys()].map((p) =>
        sample(text, 'kafka_consumer_lag_messages', { group, topic, partition: String(p) }),
      );
    const tracking = await scrapeUntil(
      'tracking',
      (t) => lagOf(t, 'tracking', 'postal.scans').every((v) => v !== undefined),
      'the lag of every postal.scans partition in tracking',
    );
    expect(lagOf(tracking, 'tracking', 'pickup.events').every((v) => v !== undefined)).toBe(true);
    const notifications = await scrapeUntil(
      'notifications',
      (t) => lagOf(t, 'notifications', 'tracking.events').every((v) => v !== undefined),
      'the lag of every tracking.events partition in notifications',
    );
    expect(sample(notifications, 'notifications_queue_oldest_waiting_seconds', { queue: 'email' })).toBeDefined();
    const pickup = await scrapeUntil(
      'pickup',
      (t) => lagOf(t, 'pickup', 'tracking.events').every((v) => v !== undefined),
      'the lag of every tracking.events partition in pickup',
    );
    expect(pickup).toContain('kafka_consumer_lag_messages');

    const dlq = { topic: 'postal.scans', cause: 'invalid' };
    expect(sample(tracking, 'messaging_dlq_messages_total', dlq)).toBe(0);
    await produce('postal.scans', [{ key: 'poison', value: 'not json {' }], { prefix: flow.portal.topicPrefix });
    await scrapeUntil(
      'tracking',
      (t) => sample(t, 'messaging_dlq_messages_total', dlq) === 1,
      'one dead-lettered postal.scans message counted',
    );
    // Everything consumed: the lag comes back to 0 on every partition.
    await scrapeUntil(
      'tracking',
      (t) => lagOf(t, 'tracking', 'postal.scans').every((v) => v === 0),
      'postal.scans fully consumed',
    );
  });

  it('exports every metric the Prometheus rules and the Grafana dashboards query', async () => {
    const families = new Map<string, string>();
    for (const app of APP_NAMES)
      for (const [name, type] of exportedFamilies(await scrape(app))) families.set(name, type);
    const { queries, recorded } = ruleQueries();
    expect(unknownNames([...queries, ...dashboardQueries()], seriesNames(families), recorded)).toEqual([]);
    // And the check sees a misspelt one.
    expect(
      unknownNames([{ where: 'x', expr: 'rate(auth_login_seconds_count[5m])' }], seriesNames(families), []),
    ).toEqual(['x: auth_login_seconds_count']);
  });
});
