import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { Webhook } from 'standardwebhooks';
import { createUser, waitFor } from '@app/testing';
import { startFlow, type Flow } from './flow-helpers';

jest.setTimeout(300_000);

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

interface StoredEndpoint {
  _id: string;
  secrets: { secret: string; createdAt: Date; expiresAt: Date | null }[];
}

interface DeliveryBody {
  id: string;
  eventType: string;
  status: string;
  attempts: { statusCode: number | null }[];
  payload?: { type: string; data: { endpointId: string } };
}

const received: Received[] = [];
let server: Server;
let flow: Flow;
let mongo: mongoose.mongo.MongoClient;

function verify(secret: string, r: Received): { type: string } {
  return new Webhook(secret).verify(r.body, {
    'webhook-id': String(r.headers['webhook-id']),
    'webhook-timestamp': String(r.headers['webhook-timestamp']),
    'webhook-signature': String(r.headers['webhook-signature']),
  }) as { type: string };
}

function endpoints() {
  return mongo
    .db(`notifications_${flow.portal.topicPrefix.replace(/\.$/, '')}`)
    .collection<StoredEndpoint>('webhook_endpoints');
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  flow = await startFlow({ WEBHOOK_TEST_LOOPBACK_PORT: String(port) });
  mongo = await mongoose.mongo.MongoClient.connect(process.env.MONGO_URL!);
});

afterAll(async () => {
  await mongo?.close();
  await flow?.portal.stop();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

describe('webhook secrets at rest and test events (through the gateway, real stack)', () => {
  const url = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;

  it('stores the signing secret encrypted, signs with it, and sends a test event that shows in the log', async () => {
    const { api, mailpit } = flow;
    const user = await createUser(api, mailpit);
    const created = await api.post<{ id: string; secret: string }>(
      '/webhooks/endpoints',
      { url: url(), eventTypes: ['label.*'] },
      user.accessToken,
    );
    expect(created.status).toBe(201);
    const { id, secret } = created.body;

    // The stored document holds no trace of the secret.
    const stored = await endpoints().findOne({ _id: id });
    expect(stored?.secrets).toHaveLength(1);
    expect(stored!.secrets[0].secret).toMatch(/^v1\.aesgcm\./);
    const raw = JSON.stringify(stored);
    expect(raw).not.toContain(secret);
    expect(raw).not.toContain(secret.slice('whsec_'.length));

    // A test event, signed with the secret the customer holds.
    const test = await api.post<DeliveryBody>(`/webhooks/endpoints/${id}/test`, {}, user.accessToken);
    expect(test.status).toBe(202);
    expect(test.body).toMatchObject({
      eventType: 'webhook.test',
      status: 'pending',
      payload: { type: 'webhook.test' },
    });
    const got = await waitFor(() => received.find((r) => r.headers['webhook-id'] === test.body.id), {
      timeoutMs: 30_000,
      description: 'the test event at the receiver',
    });
    expect(verify(secret, got)).toMatchObject({ type: 'webhook.test', data: { endpointId: id } });
    const logged = await waitFor(
      async () => {
        const log = await api.get<{ items: DeliveryBody[] }>(`/webhooks/endpoints/${id}/deliveries`, user.accessToken);
        return log.body.items.find((d) => d.id === test.body.id && d.status === 'succeeded');
      },
      { timeoutMs: 30_000, intervalMs: 300, description: 'the test event succeeded in the log' },
    );
    expect(logged).toMatchObject({ eventType: 'webhook.test', attempts: [{ statusCode: 200 }] });

    // Rotation: both secrets sealed; both signatures verify during the overlap.
    const rotated = await api.post<{ secret: string }>(`/webhooks/endpoints/${id}/rotate-secret`, {}, user.accessToken);
    expect(rotated.status).toBe(200);
    const afterRotation = await endpoints().findOne({ _id: id });
    expect(afterRotation!.secrets.map((s) => s.secret.slice(0, 10))).toEqual(['v1.aesgcm.', 'v1.aesgcm.']);
    expect(JSON.stringify(afterRotation)).not.toContain(rotated.body.secret.slice('whsec_'.length));
    const second = await api.post<DeliveryBody>(`/webhooks/endpoints/${id}/test`, {}, user.accessToken);
    const got2 = await waitFor(() => received.find((r) => r.headers['webhook-id'] === second.body.id), {
      timeoutMs: 30_000,
      description: 'the second test event',
    });
    expect(verify(rotated.body.secret, got2).type).toBe('webhook.test');
    expect(verify(secret, got2).type).toBe('webhook.test');

    // Another account's endpoint is a 404; a malformed id a 400.
    const stranger = await createUser(api, mailpit);
    expect((await api.post(`/webhooks/endpoints/${id}/test`, {}, stranger.accessToken)).status).toBe(404);
    expect((await api.post('/webhooks/endpoints/not-an-id/test', {}, user.accessToken)).status).toBe(400);
    expect((await api.post(`/webhooks/endpoints/${id}/test`, {})).status).toBe(401);
  });

  it('still signs with a secret stored in clear before encryption, and seals it at the next start', async () => {
    const { api, mailpit, portal } = flow;
    const user = await createUser(api, mailpit);
    const created = await api.post<{ id: string }>(
      '/webhooks/endpoints',
      { url: url(), eventTypes: ['label.*'] },
      user.accessToken,
    );
    const id = created.body.id;
    // A row as the code before encryption wrote it.
    const legacy = `whsec_${randomBytes(32).toString('base64')}`;
    await endpoints().updateOne(
      { _id: id },
      { $set: { secrets: [{ secret: legacy, createdAt: new Date(), expiresAt: null }] } },
    );
    const test = await api.post<DeliveryBody>(`/webhooks/endpoints/${id}/test`, {}, user.accessToken);
    expect(test.status).toBe(202);
    const got = await waitFor(() => received.find((r) => r.headers['webhook-id'] === test.body.id), {
      timeoutMs: 30_000,
      description: 'the test event signed with the legacy secret',
    });
    expect(verify(legacy, got).type).toBe('webhook.test');

    // At start, notifications seals the rows still in clear.
    await portal.restart('notifications');
    const sealed = await waitFor(
      async () => {
        const doc = await endpoints().findOne({ _id: id });
        return doc?.secrets[0].secret.startsWith('v1.aesgcm.') ? doc : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, description: 'the legacy secret sealed at start' },
    );
    expect(JSON.stringify(sealed)).not.toContain(legacy.slice('whsec_'.length));
    const again = await api.post<DeliveryBody>(`/webhooks/endpoints/${id}/test`, {}, user.accessToken);
    const got2 = await waitFor(() => received.find((r) => r.headers['webhook-id'] === again.body.id), {
      timeoutMs: 30_000,
      description: 'a test event after sealing',
    });
    expect(verify(legacy, got2).type).toBe('webhook.test');
  });

  it('limits test events to 10 per endpoint per hour (429 with Retry-After)', async () => {
    const { api, mailpit } = flow;
    const user = await createUser(api, mailpit);
    const created = await api.post<{ id: string }>(
      '/webhooks/endpoints',
      { url: url(), eventTypes: ['pickup.*'] },
      user.accessToken,
    );
    const id = created.body.id;
    for (let i = 0; i < 10; i++) {
      expect((await api.post(`/webhooks/endpoints/${id}/test`, {}, user.accessToken)).status).toBe(202);
    }
    const refused = await api.post<{ message: string }>(`/webhooks/endpoints/${id}/test`, {}, user.accessToken);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(JSON.stringify(refused.body)).toContain('test events per endpoint per hour');
  });
});
