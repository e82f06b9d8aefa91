import { TestTokenIssuer } from '@app/auth/testing/test-token-issuer';
import { startPortal, TEST_CARD_PAYMENT, TEST_FROM, TEST_TO, waitFor, type Portal } from '@app/testing';
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { openDatabase, spawnExtra, waitHttpReady, type ExtraProcess } from './support/stores';

jest.setTimeout(300_000);

/**
 * The crash between a card charge and the label it pays for: pickup is killed (SIGKILL, by its own
 * fault-injection flag) right after stripe-mock accepted the charge. After a restart the label is
 * issued exactly once, its charge booked once, and the customer's retry gets that same label.
 */
describe('payment crash window (charge accepted, not yet booked)', () => {
  let issuer: TestTokenIssuer;
  let portal: Portal | undefined;
  let pickup: ExtraProcess | undefined;
  let db: Connection | undefined;

  beforeAll(async () => {
    issuer = await TestTokenIssuer.start();
  });

  afterAll(async () => {
    await pickup?.kill();
    await db?.close();
    await portal?.stop();
    await issuer.close();
  });

  it('issues the label or returns the money, never neither, never twice', async () => {
    portal = await startPortal({ apps: [], env: { AUTH_URL: issuer.baseUrl } });
    const start = async (env: Record<string, string>) => {
      const p = await spawnExtra(portal!, 'pickup', {
        AUTH_URL: issuer.baseUrl,
        PAYMENTS_CHECKOUT_GRACE_MS: '2000',
        ...env,
      });
      await waitHttpReady(p.url);
      return p;
    };
    pickup = await start({ PAYMENTS_CRASH_AFTER_CHARGE: 'true' });
    db = await openDatabase(portal, 'pickup');
    const sub = `crash-${randomUUID()}`;
    const token = await issuer.sign({ sub, username: sub });
    const key = randomUUID();
    const buy = (url: string) =>
      fetch(`${url}/api/v1/labels`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({
          from: TEST_FROM,
          to: TEST_TO,
          weightOz: 16,
          service: 'priority',
          payment: TEST_CARD_PAYMENT,
        }),
        signal: AbortSignal.timeout(30_000),
      });
    // The connection dies with the process: the customer gets no answer.
    await expect(buy(pickup.url)).rejects.toThrow();
    await pickup.exited;
    const checkouts = db.collection<{ _id: string; state: string }>('checkouts');
    const entries = db.collection<{ _id: string; ownerId: string; kind: string }>('ledger_entries');
    const labels = db.collection<{ _id: string; userId: string; labelId: string }>('labels');
    const left = await checkouts.find({}).toArray();
    expect(left.map((c) => c.state)).toEqual(['charging']);
    expect(await entries.countDocuments({ ownerId: sub })).toBe(0);
    expect(await labels.countDocuments({ userId: sub })).toBe(0);

    pickup = await start({});
    const issued = await waitFor(
      async () => {
        const mine = await labels.find({ userId: sub }).toArray();
        return mine.length > 0 ? mine : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, description: 'the paid label issued by the checkout sweep' },
    );
    expect(issued).toHaveLength(1);
    const charges = await entries.find({ ownerId: sub }).toArray();
    expect(charges.map((e) => e._id)).toEqual([`label_charge:${issued[0].labelId}`]);
    expect(await checkouts.countDocuments({ _id: left[0]._id })).toBe(0);

    // The customer retries with the same key once its first attempt's lease has run out: the same label.
    const retried = await waitFor(
      async () => {
        const res = await buy(pickup!.url);
        return res.status === 201 ? ((await res.json()) as { labelId: string; trackingNumber: string }) : undefined;
      },
      {
        timeoutMs: 120_000,
        intervalMs: 2_000,
        description: 'the retry answered once the key is no longer in progress',
      },
    );
    expect(retried).toMatchObject({ labelId: issued[0].labelId, trackingNumber: issued[0]._id });
    expect(await labels.countDocuments({ userId: sub })).toBe(1);
    expect(await entries.countDocuments({ ownerId: sub })).toBe(1);
  });
});
