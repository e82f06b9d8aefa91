import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startPortal } from '@app/testing';

/** A process that is not ours, holding a port and answering every health check with 200. */
async function stranger(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function osPort(): Promise<number> {
  const other = await stranger();
  await other.close();
  return other.port;
}

describe('startPortal when a port is taken before the app listens', () => {
  let taken: Awaited<ReturnType<typeof stranger>>;

  beforeAll(async () => {
    taken = await stranger();
  });

  afterAll(async () => {
    await taken.close();
  });

  it("does not take a stranger's 200 for readiness and relaunches on new ports", async () => {
    let calls = 0;
    const portal = await startPortal({
      apps: ['gateway'],
      // The first port handed out (the gateway's) is the stranger's.
      portSource: () => (calls++ === 0 ? Promise.resolve(taken.port) : osPort()),
    });
    try {
      expect(portal.urls.gateway).not.toBe(`http://127.0.0.1:${taken.port}`);
      const live = (await (await fetch(`${portal.urls.gateway}/health/live`)).json()) as { instanceId?: string };
      expect(live.instanceId).toMatch(/-gateway-\d+$/);
    } finally {
      await portal.stop();
    }
  });

  it('fails with a message naming the taken port when every attempt finds it taken', async () => {
    await expect(
      startPortal({ apps: ['gateway'], portSource: () => Promise.resolve(taken.port), readyTimeoutMs: 20_000 }),
    ).rejects.toThrow(`gateway could not listen on http://127.0.0.1:${taken.port}: the port was taken`);
  });
});
