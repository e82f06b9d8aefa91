import {
  createAddress,
  createLabel,
  createOrder,
  createPickup,
  createSupportCase,
  createUser,
  MailpitClient,
  PortalClient,
  startPortal,
  uniqueTag,
  waitFor,
  type Portal,
  type TestUser,
} from '@app/testing';
import { SECURITY_PORTAL_ENV, SecretLedger } from './security-helpers';

jest.setTimeout(180_000);

interface Attempt {
  name: string;
  method: string;
  path: string;
  body?: unknown;
  /** Statuses a stranger may get; default 403 or 404. */
  strangerMay?: number[];
}

describe('object-level authorisation through the gateway (real stack)', () => {
  let portal: Portal;
  let api: PortalClient;
  let alice: TestUser;
  let bob: TestUser;
  const ledger = new SecretLedger();
  /** Strings found only in Alice's data; none may reach Bob or an anonymous caller. */
  const marker = `zq${uniqueTag()}`;
  const ids = {} as {
    addressId: string;
    labelId: string;
    trackingNumber: string;
    confirmationNumber: string;
    orderId: string;
    caseId: string;
    notificationId: string;
    sku: string;
  };

  /** Everything Alice can read about the objects under attack. */
  async function aliceView(): Promise<Record<string, unknown>> {
    const read = async (path: string) => {
      const res = await api.get(path, alice.accessToken);
      return { status: res.status, body: res.body };
    };
    const inbox = await api.get<{ items: { id: string; read: boolean }[] }>(
      '/notifications?limit=50',
      alice.accessToken,
    );
    return {
      address: await read(`/me/addresses/${ids.addressId}`),
      label: await read(`/labels/${ids.labelId}`),
      pickup: await read(`/pickups/${ids.confirmationNumber}`),
      orders: await read('/orders'),
      supportCase: await read(`/support/cases/${ids.caseId}`),
      watchlist: await read('/tracking/watchlist'),
      notification: inbox.body.items.find((n) => n.id === ids.notificationId),
    };
  }

  beforeAll(async () => {
    portal = await startPortal({ env: SECURITY_PORTAL_ENV });
    api = new PortalClient(`${portal.gatewayUrl}/api/v1`);
    const mailpit = new MailpitClient();
    alice = await createUser(api, mailpit, { firstName: `Alice${marker}` });
    bob = await createUser(api, mailpit);
    for (const user of [alice, bob]) {
      ledger.add('password', user.password);
      ledger.add('access token', user.accessToken);
      ledger.add('refresh token', user.refreshToken);
      ledger.add('email verification code', user.verificationCode);
    }
    const address = await createAddress(api, alice.accessToken, {
      name: `ALICE ${marker}`.toUpperCase(),
      line2: marker,
    });
    ids.addressId = address.id;
    const label = await createLabel(api, alice.accessToken, {
      to: { name: `RECIPIENT ${marker}`.toUpperCase(), line1: '2 ELM ST', city: 'DENVER', state: 'CO', zip: '80202' },
    });
    ids.labelId = label.labelId;
    ids.trackingNumber = label.trackingNumber;
    ids.confirmationNumber = (
      await createPickup(api, alice.accessToken, { instructions: `gate code ${marker}` })
    ).confirmationNumber;
    ids.sku = (await api.get<{ items: { sku: string }[] }>('/stamps')).body.items[0].sku;
    ids.orderId = (await createOrder(api, alice.accessToken, ids.addressId)).orderId;
    ids.caseId = (
      await createSupportCase(api, alice.accessToken, { subject: `Parcel ${marker}`, body: `Details ${marker}` })
    ).caseId;
    ids.notificationId = await waitFor(
      async () => (await api.get<{ items: { id: string }[] }>('/notifications', alice.accessToken)).body.items?.[0]?.id,
      { timeoutMs: 30_000, description: 'an in-app notification for Alice' },
    );
    await waitFor(
      async () =>
        JSON.stringify((await api.get('/tracking/watchlist', alice.accessToken)).body).includes(ids.trackingNumber),
      { timeoutMs: 30_000, description: "the label's parcel on Alice's watchlist" },
    );
  });

  afterAll(async () => {
    await portal?.stop();
  });

  const attempts = (): Attempt[] => [
    { name: 'read an address', method: 'GET', path: `/me/addresses/${ids.addressId}` },
    { name: 'change an address', method: 'PATCH', path: `/me/addresses/${ids.addressId}`, body: { label: 'owned' } },
    { name: 'delete an address', method: 'DELETE', path: `/me/addresses/${ids.addressId}` },
    {
      name: 'request a verification letter',
      method: 'POST',
      path: `/me/addresses/${ids.addressId}/verification-letter`,
    },
    {
      name: 'verify an address',
      method: 'POST',
      path: `/me/addresses/${ids.addressId}/verify`,
      body: { code: 'AAAAAAAA' },
    },
    { name: 'read a label', method: 'GET', path: `/labels/${ids.labelId}` },
    { name: 'download a label PDF', method: 'GET', path: `/labels/${ids.labelId}/pdf` },
    { name: 'refund a label', method: 'POST', path: `/labels/${ids.labelId}/refund` },
    { name: 'read a pickup', method: 'GET', path: `/pickups/${ids.confirmationNumber}` },
    {
      name: 'change a pickup',
      method: 'PATCH',
      path: `/pickups/${ids.confirmationNumber}`,
      body: { instructions: 'leave it by the road' },
    },
    { name: 'cancel a pickup', method: 'DELETE', path: `/pickups/${ids.confirmationNumber}` },
    { name: 'read a support case', method: 'GET', path: `/support/cases/${ids.caseId}` },
    {
      name: 'write in a support case',
      method: 'POST',
      path: `/support/cases/${ids.caseId}/messages`,
      body: { body: 'hi' },
    },
    { name: 'close a support case', method: 'POST', path: `/support/cases/${ids.caseId}/close` },
    { name: 'mark a notification read', method: 'POST', path: `/notifications/${ids.notificationId}/read` },
    {
      name: 'unwatch a parcel',
      method: 'DELETE',
      path: `/tracking/watchlist/${ids.trackingNumber}`,
      // Unwatching only ever touches the caller's own list; what matters is that Alice's is unchanged.
      strangerMay: [204, 403, 404],
    },
    {
      name: "order stamps to someone else's address",
      method: 'POST',
      path: '/orders',
      body: {},
      strangerMay: [400, 403, 404],
    },
    {
      name: "ship a label from someone else's address",
      method: 'POST',
      path: '/labels',
      body: {
        fromAddressId: '',
        to: { name: 'X', line1: '2 ELM ST', city: 'DENVER', state: 'CO', zip: '80202' },
        weightOz: 8,
        service: 'priority',
        payment: { method: 'card', paymentMethodId: 'pm_card_visa' },
      },
      strangerMay: [400, 403, 404],
    },
  ];

  /** Fills in ids known only after beforeAll. */
  function prepared(attempt: Attempt): Attempt {
    if (attempt.path === '/orders') {
      return {
        ...attempt,
        body: {
          items: [{ sku: ids.sku, quantity: 1 }],
          shippingAddressId: ids.addressId,
          payment: { method: 'card', paymentMethodId: 'pm_card_visa' },
        },
      };
    }
    if (attempt.path === '/labels')
      return { ...attempt, body: { ...(attempt.body as object), fromAddressId: ids.addressId } };
    return attempt;
  }

  it("keeps every object to its owner: strangers get 403/404 and anonymous callers 401, never the owner's data", async () => {
    const before = await aliceView();
    expect(before.address).toMatchObject({ status: 200 });
    expect(before.notification).toMatchObject({ read: false });

    // Bob first fetches his own lists, which must not show Alice's objects either.
    const leaks: string[] = [];
    for (const path of [
      '/me/addresses',
      '/labels',
      '/pickups',
      '/orders',
      '/support/cases',
      '/notifications',
      '/tracking/watchlist',
      '/tracking/incoming',
    ]) {
      const res = await api.get(path, bob.accessToken);
      if (res.status !== 200) leaks.push(`bob GET ${path}: ${res.status}`);
      if (res.text.includes(marker) || res.text.includes(ids.trackingNumber))
        leaks.push(`bob GET ${path} shows Alice's data`);
    }

    const outcomes: { name: string; caller: string; status: number; ok: boolean }[] = [];
    for (const attempt of attempts().map(prepared)) {
      const asBob = await api.call(attempt.method, attempt.path, { body: attempt.body, token: bob.accessToken });
      const asNobody = await api.call(attempt.method, attempt.path, { body: attempt.body });
      outcomes.push({
        name: attempt.name,
        caller: 'stranger',
        status: asBob.status,
        ok: (attempt.strangerMay ?? [403, 404]).includes(asBob.status),
      });
      outcomes.push({ name: attempt.name, caller: 'anonymous', status: asNobody.status, ok: asNobody.status === 401 });
      for (const [caller, res] of [
        ['stranger', asBob],
        ['anonymous', asNobody],
      ] as const) {
        if (res.text.includes(marker)) leaks.push(`${caller} ${attempt.name} answered with Alice's data`);
        if (res.text.startsWith('%PDF')) leaks.push(`${caller} ${attempt.name} got a PDF`);
      }
    }
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(leaks).toEqual([]);

    expect(await aliceView()).toEqual(before);
  });

  it('lets operators alone into operator routes', async () => {
    const customerStatuses = [
      (await api.get('/admin/address-letters', bob.accessToken)).status,
      (await api.get('/admin/api-keys', bob.accessToken)).status,
      (await api.post('/admin/api-keys', { name: 'mine', roles: ['scanner'] }, bob.accessToken)).status,
    ];
    expect(customerStatuses).toEqual([403, 403, 403]);
  });

  it('never writes a password or token it used to the logs', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(ledger.findInLogs(portal)).toEqual([]);
  });
});
