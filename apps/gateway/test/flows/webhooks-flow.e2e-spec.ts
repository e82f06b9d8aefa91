import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { createLabel, createUser, waitFor, type PortalClient, type TestUser } from '@app/testing';
import { postScans, scanEvent, scannerKey, startFlow, type Flow } from './flow-helpers';

jest.setTimeout(240_000);

/** One request the receiver got, with what it answered. */
interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

interface Payload {
  type: string;
  timestamp: string;
  data: { trackingNumber?: string; statusCategory?: string; labelId?: string };
}

interface EndpointBody {
  id: string;
  url: string;
  status: string;
  secret: string;
  eventTypes: string[];
}

interface DeliveryBody {
  id: string;
  eventType: string;
  status: string;
  attempts: { statusCode: number | null; latencyMs: number; error: string | null; manual: boolean }[];
  payload?: Payload;
}

/**
 * The customer's system, in the test process: it records every request and answers what its path's
 * script says (a status per request, then 200).
 */
class Receiver {
  readonly received: Received[] = [];
  /** path -> statuses to answer, in turn; once used up, 200 (or `always`) */
  readonly scripts = new Map<string, { statuses: number[]; always?: number; location?: string }>();
  /** path -> answer 500 to the next `remaining` requests whose payload matches */
  readonly failures = new Map<string, { match: (p: Payload) => boolean; remaining: number }>();
  private server?: Server;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        const script = this.scripts.get(path);
        const body = Buffer.concat(chunks).toString('utf8');
        const failure = this.failures.get(path);
        let status = script?.statuses.shift() ?? script?.always ?? 200;
        if (failure && failure.remaining > 0 && failure.match(JSON.parse(body) as Payload)) {
          failure.remaining -= 1;
          status = 500;
        }
        this.received.push({ path, headers: req.headers, body, answered: status });
        if (script?.location) res.setHeader('location', script.location);
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

function payloadOf(r: Received): Payload {
  return JSON.parse(r.body) as Payload;
}

/** Verifies a request with the standardwebhooks library, as an integrator would; throws when it fails. */
function verify(secret: string, r: Received): Payload {
  const headers = {
    'webhook-id': String(r.headers['webhook-id']),
    'webhook-timestamp': String(r.headers['webhook-timestamp']),
    'webhook-signature': String(r.headers['webhook-signature']),
  };
  return new Webhook(secret).verify(r.body, headers) as Payload;
}

describe('webhooks through the gateway (real stack)', () => {
  const receiver = new Receiver();
  let flow: Flow;
  let api: PortalClient;

  beforeAll(async () => {
    await receiver.start();
    flow = await startFlow({
      // Only this exact loopback origin is opened, and only because this is a test (refused in production).
      WEBHOOK_TEST_LOOPBACK_PORT: String(receiver.port),
      WEBHOOK_ATTEMPTS: '5',
      WEBHOOK_BACKOFF_MS: '300',
      // The short clock of the disable rule: 3 s of failures instead of 3 days.
      WEBHOOK_DISABLE_AFTER_MS: '3000',
      WEBHOOK_ORDER_RECHECK_MS: '200',
    });
    api = flow.api;
  });

  afterAll(async () => {
    await flow?.portal.stop();
    await receiver.stop();
  });

  async function register(user: TestUser, path: string, eventTypes: string[]): Promise<EndpointBody> {
    const res = await api.post<EndpointBody>(
      '/webhooks/endpoints',
      { url: receiver.url(path), eventTypes },
      user.accessToken,
    );
    expect(res.status).toBe(201);
    return res.body;
  }

  async function deliveries(user: TestUser, endpointId: string): Promise<DeliveryBody[]> {
    const res = await api.get<{ items: DeliveryBody[] }>(
      `/webhooks/endpoints/${endpointId}/deliveries`,
      user.accessToken,
    );
    expect(res.status).toBe(200);
    return res.body.items;
  }

  it('shows owners only their own endpoints, and emails the account on register, rotate and delete', async () => {
    const owner = await createUser(api, flow.mailpit);
    const other = await createUser(api, flow.mailpit);
    const endpoint = await register(owner, '/own', ['label.*']);
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await flow.mailpit.waitForMessage({ to: owner.email, subject: 'A webhook endpoint was registered' });

    const mine = await api.get<{ items: { id: string; secret?: string }[] }>('/webhooks/endpoints', owner.accessToken);
    expect(mine.body.items.map((e) => e.id)).toEqual([endpoint.id]);
    expect(mine.body.items[0].secret).toBeUndefined();
    const theirs = await api.get<{ items: unknown[] }>('/webhooks/endpoints', other.accessToken);
    expect(theirs.body.items).toEqual([]);
    const base = `/webhooks/endpoints/${endpoint.id}`;
    for (const [method, path] of [
      ['GET', base],
      ['PATCH', base],
      ['DELETE', base],
      ['POST', `${base}/rotate-secret`],
      ['GET', `${base}/deliveries`],
    ]) {
      const res = await api.call(method, path, {
        token: other.accessToken,
        body: method === 'PATCH' ? { description: 'x' } : undefined,
      });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
    }

    const rotated = await api.post<{ secret: string; previousSecretExpiresAt: string }>(
      `${base}/rotate-secret`,
      {},
      owner.accessToken,
    );
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    const overlap = new Date(rotated.body.previousSecretExpiresAt).getTime() - Date.now();
    expect(overlap).toBeGreaterThan(23.9 * 3600_000);
    expect(overlap).toBeLessThanOrEqual(24 * 3600_000);
    await flow.mailpit.waitForMessage({
      to: owner.email,
      subject: 'The signing secret of a webhook endpoint was rotated',
    });

    expect((await api.call('DELETE', base, { token: owner.accessToken })).status).toBe(204);
    await flow.mailpit.waitForMessage({ to: owner.email, subject: 'A webhook endpoint was deleted' });
    expect((await api.get(base, owner.accessToken)).status).toBe(404);
  });

  it('delivers signed events of a parcel in order, retries after a 500, and redelivers by hand', async () => {
    const shipper = await createUser(api, flow.mailpit);
    const endpoint = await register(shipper, '/ordered', ['tracking.updated', 'parcel.delivered', 'label.*']);
    const label = await createLabel(api, shipper.accessToken);
    const tn = label.trackingNumber;
    const ofParcel = () => receiver.at('/ordered').filter((r) => payloadOf(r).data.trackingNumber === tn);
    // label.created first: it also proves the shipper of the parcel is known before its scans.
    await waitFor(() => ofParcel().length >= 1, { timeoutMs: 30_000, description: 'label.created' });
    // The first status change fails twice: every later event of the parcel must wait behind its retries.
    receiver.failures.set('/ordered', {
      match: (p) => p.type === 'tracking.updated' && p.data.statusCategory === 'accepted',
      remaining: 2,
    });
    const key = await scannerKey(api);
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
    const scans = await postScans(api, key, [
      scanEvent(tn, 'accepted', minutesAgo(40)),
      scanEvent(tn, 'processed', minutesAgo(30)),
      scanEvent(tn, 'out_for_delivery', minutesAgo(20)),
      scanEvent(tn, 'delivered', minutesAgo(10)),
    ]);
    expect(scans.body.accepted).toBe(4);

    await waitFor(() => ofParcel().filter((r) => r.answered === 200).length >= 6, {
      timeoutMs: 60_000,
      intervalMs: 200,
      description: 'label.created, four tracking.updated and parcel.delivered',
    });
    const got = ofParcel();
    for (const r of got) verify(endpoint.secret, r);
    expect(payloadOf(got[0])).toMatchObject({ type: 'label.created' });
    // The failed attempts, the retry that succeeded, and only then the rest of the parcel's events.
    expect(got.slice(1, 4).map((r) => [payloadOf(r).data.statusCategory, r.answered])).toEqual([
      ['accepted', 500],
      ['accepted', 500],
      ['accepted', 200],
    ]);
    expect(new Set(got.slice(1, 4).map((r) => r.headers['webhook-id'])).size).toBe(1);
    const categories = got
      .filter((r) => r.answered === 200)
      .map(payloadOf)
      .filter((p) => p.type === 'tracking.updated')
      .map((p) => p.data.statusCategory);
    expect(categories).toEqual(['accepted', 'in_transit', 'out_for_delivery', 'delivered']);
    expect(got.filter((r) => payloadOf(r).type === 'parcel.delivered')).toHaveLength(1);

    // The log shows the failed attempt and its retry, with status code and latency.
    const log = await deliveries(shipper, endpoint.id);
    const retried = log.find((d) => d.id === got[1].headers['webhook-id']);
    expect(retried).toMatchObject({ status: 'succeeded', eventType: 'tracking.updated' });
    expect(retried?.attempts.map((a) => a.statusCode)).toEqual([500, 500, 200]);
    expect(retried?.attempts.map((a) => a.error)).toEqual(['HTTP 500', 'HTTP 500', null]);
    for (const a of retried?.attempts ?? []) expect(a.latencyMs).toBeGreaterThanOrEqual(0);
    const created = log.find((d) => d.eventType === 'label.created');
    expect(created).toMatchObject({ status: 'succeeded', id: got[0].headers['webhook-id'] });
    const one = await api.get<DeliveryBody>(
      `/webhooks/endpoints/${endpoint.id}/deliveries/${created?.id}`,
      shipper.accessToken,
    );
    expect(one.body.payload).toMatchObject({
      type: 'label.created',
      data: { trackingNumber: tn, labelId: label.labelId },
    });

    // By hand: the same webhook-id again, logged as a manual attempt.
    const before = receiver.at('/ordered').length;
    const again = await api.post(
      `/webhooks/endpoints/${endpoint.id}/deliveries/${created?.id}/redeliver`,
      {},
      shipper.accessToken,
    );
    expect(again.status).toBe(202);
    await waitFor(() => receiver.at('/ordered').length > before, { timeoutMs: 20_000, description: 'the redelivery' });
    const redelivered = receiver.at('/ordered').at(-1) as Received;
    expect(redelivered.headers['webhook-id']).toBe(created?.id);
    verify(endpoint.secret, redelivered);
    await waitFor(
      async () => {
        const d = await api.get<DeliveryBody>(
          `/webhooks/endpoints/${endpoint.id}/deliveries/${created?.id}`,
          shipper.accessToken,
        );
        return d.body.attempts.at(-1)?.manual === true && d.body.attempts.length === 2;
      },
      { timeoutMs: 10_000, description: 'the manual attempt in the log' },
    );
  });

  it('signs with the old and the new secret during a rotation', async () => {
    const user = await createUser(api, flow.mailpit);
    const endpoint = await register(user, '/rotating', ['label.created']);
    const rotated = await api.post<{ secret: string }>(
      `/webhooks/endpoints/${endpoint.id}/rotate-secret`,
      {},
      user.accessToken,
    );
    const label = await createLabel(api, user.accessToken);
    const r = await waitFor(() => receiver.at('/rotating').find((x) => payloadOf(x).data.labelId === label.labelId), {
      timeoutMs: 30_000,
      description: 'the delivery after the rotation',
    });
    expect(String(r.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verify(rotated.body.secret, r).type).toBe('label.created');
    expect(verify(endpoint.secret, r).type).toBe('label.created');
  });

  it('does not follow a redirect: a 3xx is a failed attempt', async () => {
    const user = await createUser(api, flow.mailpit);
    receiver.scripts.set('/moved', { statuses: [], always: 302, location: receiver.url('/target') });
    const endpoint = await register(user, '/moved', ['label.*']);
    await createLabel(api, user.accessToken);
    const log = await waitFor(
      async () => {
        const items = await deliveries(user, endpoint.id);
        return items[0]?.attempts.length ? items : undefined;
      },
      { timeoutMs: 30_000, description: 'a first attempt' },
    );
    expect(log[0].attempts[0]).toMatchObject({ statusCode: 302, error: 'HTTP 302' });
    expect(receiver.at('/target')).toEqual([]);
    await api.call('DELETE', `/webhooks/endpoints/${endpoint.id}`, { token: user.accessToken });
  });

  it('disables an endpoint that keeps failing past WEBHOOK_DISABLE_AFTER_MS and emails its owner', async () => {
    const user = await createUser(api, flow.mailpit);
    receiver.scripts.set('/down', { statuses: [], always: 503 });
    const endpoint = await register(user, '/down', ['label.*']);
    await createLabel(api, user.accessToken);
    const disabled = await waitFor(
      async () => {
        const res = await api.get<{ status: string; disabledReason: string | null }>(
          `/webhooks/endpoints/${endpoint.id}`,
          user.accessToken,
        );
        return res.body.status === 'disabled' ? res.body : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, description: 'the endpoint disabled' },
    );
    expect(disabled.disabledReason).toMatch(/failed since/);
    await flow.mailpit.waitForMessage({ to: user.email, subject: 'A webhook endpoint was disabled' });
    // A disabled endpoint gets nothing more, and a redelivery by hand is refused until it is enabled.
    const [delivery] = await deliveries(user, endpoint.id);
    const refused = await api.post(
      `/webhooks/endpoints/${endpoint.id}/deliveries/${delivery.id}/redeliver`,
      {},
      user.accessToken,
    );
    expect(refused.status).toBe(409);
    const enabled = await api.call<{ status: string }>('PATCH', `/webhooks/endpoints/${endpoint.id}`, {
      token: user.accessToken,
      body: { enabled: true },
    });
    expect(enabled.body.status).toBe('enabled');
  });

  it.each([
    ['plain http', 'http://hooks.example.com/in'],
    ['loopback', 'https://127.0.0.1/'],
    ['loopback by name', 'https://localhost/'],
    ['loopback, decimal form', 'https://2130706433/'],
    ['loopback, hex form', 'https://0x7f.0.0.1/'],
    ['this network', 'https://0.0.0.0/'],
    ['IPv6 loopback', 'https://[::1]/'],
    ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/'],
    ['private 10/8', 'https://10.0.0.1/'],
    ['private 172.16/12', 'https://172.20.1.1/'],
    ['private 192.168/16', 'https://192.168.0.10/'],
    ['CGNAT', 'https://100.64.0.1/'],
    ['link-local', 'https://169.254.10.10/'],
    ['cloud metadata', 'https://169.254.169.254/latest/meta-data/'],
    ['IPv6 cloud metadata', 'https://[fd00:ec2::254]/'],
    ['IPv4-mapped metadata', 'https://[::ffff:169.254.169.254]/'],
    ['IPv6 link-local', 'https://[fe80::1]/'],
    ['multicast', 'https://224.0.0.1/'],
    ['IPv6 multicast', 'https://[ff02::1]/'],
    ['NAT64 of metadata', 'https://[64:ff9b::a9fe:a9fe]/'],
    ['another loopback port', 'http://127.0.0.1:1/'],
    ['credentials in the URL', 'https://user:pw@hooks.example.com/'],
    ['no scheme', 'hooks.example.com/in'],
    ['javascript', 'javascript:alert(1)'],
    ['file', 'file:///etc/passwd'],
  ])('refuses to register %s (%s) with 422 and the reason', async (_what, url) => {
    const user = await createUser(api, flow.mailpit);
    const res = await api.post<{ message: string }>(
      '/webhooks/endpoints',
      { url, eventTypes: ['label.*'] },
      user.accessToken,
    );
    expect(res.status).toBe(422);
    expect(String(res.body.message)).toMatch(/^url: /);
  });

  it('answers malformed, unknown and oversized input with 4xx, never 5xx', async () => {
    const user = await createUser(api, flow.mailpit);
    const token = user.accessToken;
    const good = { url: receiver.url('/x'), eventTypes: ['label.*'] };
    const cases: [string, string, unknown, number][] = [
      ['POST', '/webhooks/endpoints', '{"url": ', 400],
      ['POST', '/webhooks/endpoints', { ...good, extra: 1 }, 400],
      ['POST', '/webhooks/endpoints', { ...good, eventTypes: [] }, 400],
      ['POST', '/webhooks/endpoints', { ...good, eventTypes: ['parcel.lost'] }, 400],
      ['POST', '/webhooks/endpoints', { ...good, eventTypes: 'label.*' }, 400],
      ['POST', '/webhooks/endpoints', { ...good, url: 42 }, 400],
      ['POST', '/webhooks/endpoints', { ...good, url: `https://a.example/${'x'.repeat(2100)}` }, 400],
      ['POST', '/webhooks/endpoints', { ...good, description: 'd'.repeat(201) }, 400],
      ['POST', '/webhooks/endpoints', { ...good, description: 'd'.repeat(2_000_000) }, 413],
      ['GET', '/webhooks/endpoints/not-a-uuid', undefined, 400],
      ['GET', '/webhooks/endpoints/8a6e0804-2bd0-4672-b79d-d97027f2c7e1/deliveries/msg_zz', undefined, 400],
      ['GET', '/webhooks/endpoints/8a6e0804-2bd0-4672-b79d-d97027f2c7e1', undefined, 404],
      ['PATCH', '/webhooks/endpoints/8a6e0804-2bd0-4672-b79d-d97027f2c7e1', { enabled: 'yes' }, 400],
    ];
    for (const [method, path, body, status] of cases) {
      const res = await api.call(method, path, { token, body });
      expect({ method, path: path.slice(0, 80), status: res.status }).toEqual({
        method,
        path: path.slice(0, 80),
        status,
      });
    }
    const created = await api.post<EndpointBody>('/webhooks/endpoints', good, token);
    const junkCursor = await api.get(`/webhooks/endpoints/${created.body.id}/deliveries?cursor=%%%`, token);
    expect(junkCursor.status).toBe(400);
    const tooMany = await api.get(`/webhooks/endpoints/${created.body.id}/deliveries?limit=1000`, token);
    expect(tooMany.status).toBe(400);
    expect((await api.get('/webhooks/endpoints')).status).toBe(401);
  });
});
