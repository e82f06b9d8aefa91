import {
  BATCH_CSV_COLUMNS,
  computeImpbCheckDigit,
  createEnvelope,
  ManifestCreatedV1,
  MANIFEST_CHANNEL_APPLICATION_ID,
  MANIFEST_SERVICE_TYPE_CODE,
  Topics,
} from '@app/contracts';
import { createLabel, createUser, produce, TEST_CARD_PAYMENT, waitFor } from '@app/testing';
import { postScans, scanEvent, scannerKey, startFlow, type Flow } from '../flows/flow-helpers';
import { addMember, createOrg, schedulePickup, switchTo } from './teams-helpers';

jest.setTimeout(300_000);

let flow: Flow;

beforeAll(async () => {
  // A small batch limit, so its 429 is reached in a few uploads.
  flow = await startFlow({ PICKUP_BATCH_RATE_LIMIT: '3' }, { readyTimeoutMs: 180_000 });
});

afterAll(async () => {
  await flow?.portal.stop();
});

const receiptSubject = (trackingNumber: string) => `Receipt for your shipping label ${trackingNumber}`;

/** The subjects mailed to `email` so far. */
async function subjectsTo(email: string): Promise<string[]> {
  return (await flow.mailpit.messages(email)).map((m) => m.Subject);
}

describe("An organisation's notices and watchlist reach its members (through the gateway, real stack)", () => {
  it('mails the receipt of a label a shipper buys for the organisation to that shipper, and to owners and admins when the setting says so', async () => {
    const { api, mailpit } = flow;
    const owner = await createUser(api, mailpit);
    const org = await createOrg(api, owner.accessToken, 'Notice Co');
    const ownerOrg = await switchTo(api, owner.accessToken, org.id);
    const admin = await addMember(api, mailpit, ownerOrg, org, 'admin');
    const shipper = await addMember(api, mailpit, ownerOrg, org, 'shipper');
    const viewer = await addMember(api, mailpit, ownerOrg, org, 'viewer');

    // Default: the member who acted is told, nobody else.
    expect((await api.get('/notifications/org-settings', viewer.orgToken)).body).toEqual({
      noticeRecipients: 'acting_member',
    });
    const first = await createLabel(api, shipper.orgToken);
    await mailpit.waitForMessage({
      to: shipper.email,
      subject: receiptSubject(first.trackingNumber),
      timeoutMs: 60_000,
    });
    const scheduled = await schedulePickup(api, shipper.orgToken);
    expect(scheduled.status).toBe(201);
    const confirmation = (scheduled.body as { confirmationNumber: string }).confirmationNumber;
    await mailpit.waitForMessage({
      to: shipper.email,
      subject: `Pickup ${confirmation} is scheduled`,
      timeoutMs: 60_000,
    });

    // Owners and admins choose to be told as well; shippers, viewers and personal accounts may not choose.
    const bad = await api.call('PUT', '/notifications/org-settings', {
      token: ownerOrg,
      body: { noticeRecipients: 'everyone' },
    });
    expect(bad.status).toBe(400);
    expect(
      (
        await api.call('PUT', '/notifications/org-settings', {
          token: shipper.orgToken,
          body: { noticeRecipients: 'all_members' },
        })
      ).status,
    ).toBe(403);
    expect((await api.get('/notifications/org-settings', owner.accessToken)).status).toBe(403);
    const set = await api.call('PUT', '/notifications/org-settings', {
      token: admin.orgToken,
      body: { noticeRecipients: 'owners_and_admins' },
    });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ noticeRecipients: 'owners_and_admins' });

    const second = await createLabel(api, shipper.orgToken);
    for (const member of [shipper, owner, admin]) {
      await mailpit.waitForMessage({
        to: member.email,
        subject: receiptSubject(second.trackingNumber),
        timeoutMs: 60_000,
      });
    }
    // The first label's receipt went to the shipper only; the viewer is told of neither.
    expect(await subjectsTo(owner.email)).not.toContain(receiptSubject(first.trackingNumber));
    expect(await subjectsTo(admin.email)).not.toContain(receiptSubject(first.trackingNumber));
    const viewerSubjects = await subjectsTo(viewer.email);
    expect(viewerSubjects.filter((s) => s.startsWith('Receipt for your shipping label'))).toEqual([]);

    // Another organisation's setting is its own.
    const stranger = await createUser(api, mailpit);
    const otherOrg = await createOrg(api, stranger.accessToken, 'Other Notice Co');
    const strangerOrg = await switchTo(api, stranger.accessToken, otherOrg.id);
    expect((await api.get('/notifications/org-settings', strangerOrg)).body).toEqual({
      noticeRecipients: 'acting_member',
    });
  });

  it("shows the organisation's parcels in the watchlist of every member acting for it, and only there", async () => {
    const { api, mailpit } = flow;
    const owner = await createUser(api, mailpit);
    const org = await createOrg(api, owner.accessToken, 'Watch Co');
    const ownerOrg = await switchTo(api, owner.accessToken, org.id);
    const shipper = await addMember(api, mailpit, ownerOrg, org, 'shipper');
    const viewer = await addMember(api, mailpit, ownerOrg, org, 'viewer');
    const label = await createLabel(api, shipper.orgToken);

    type Watchlist = { items: { trackingNumber: string }[] };
    const numbersOf = async (token: string) =>
      (await api.get<Watchlist>('/tracking/watchlist', token)).body.items.map((i) => i.trackingNumber);
    for (const token of [shipper.orgToken, viewer.orgToken, ownerOrg]) {
      await waitFor(async () => (await numbersOf(token)).includes(label.trackingNumber), {
        timeoutMs: 60_000,
        intervalMs: 500,
        description: "a member sees the organisation's label in the watchlist",
      });
    }
    // Acting personally, each sees their own list, not the organisation's.
    expect(await numbersOf(viewer.accessToken)).not.toContain(label.trackingNumber);
    expect(await numbersOf(shipper.accessToken)).not.toContain(label.trackingNumber);
    const personal = await createLabel(api, viewer.accessToken);
    await waitFor(async () => (await numbersOf(viewer.accessToken)).includes(personal.trackingNumber), {
      timeoutMs: 60_000,
      intervalMs: 500,
      description: "the viewer's own label on the personal list",
    });
    expect(await numbersOf(viewer.orgToken)).not.toContain(personal.trackingNumber);

    // A viewer reads the organisation's list but does not change it; a shipper does.
    const watched = await createLabel(api, owner.accessToken);
    expect(
      (await api.post('/tracking/watchlist', { trackingNumber: watched.trackingNumber }, viewer.orgToken)).status,
    ).toBe(403);
    expect(
      (await api.call('DELETE', `/tracking/watchlist/${label.trackingNumber}`, { token: viewer.orgToken })).status,
    ).toBe(403);
    expect(
      (await api.post('/tracking/watchlist', { trackingNumber: watched.trackingNumber }, shipper.orgToken)).status,
    ).toBe(201);
    expect(await numbersOf(viewer.orgToken)).toContain(watched.trackingNumber);

    // Another organisation's members do not see it.
    const stranger = await createUser(api, mailpit);
    const otherOrg = await createOrg(api, stranger.accessToken, 'Other Watch Co');
    const strangerOrg = await switchTo(api, stranger.accessToken, otherOrg.id);
    expect(await numbersOf(strangerOrg)).toEqual([]);
  });

  it("applies a manifest scan that came before tracking read the form's ManifestCreated to its labels when the form arrives, once", async () => {
    const { api, mailpit, portal } = flow;
    const shipper = await createUser(api, mailpit);
    const labels = [await createLabel(api, shipper.accessToken), await createLabel(api, shipper.accessToken)];
    const numbers = labels.map((l) => l.trackingNumber);
    type View = { statusCategory: string; events: { code: string; occurredAt: string }[] };
    for (const tn of numbers) {
      await waitFor(async () => (await api.get<View>(`/tracking/${tn}`)).status === 200, {
        timeoutMs: 60_000,
        intervalMs: 500,
        description: 'tracking knows the label',
      });
    }

    // A form number tracking has never heard of (its ManifestCreated not read yet), scanned first.
    const serial = String(Date.now()).slice(-8);
    const body = `${MANIFEST_CHANNEL_APPLICATION_ID}${MANIFEST_SERVICE_TYPE_CODE}123456${serial.padStart(10, '0')}`;
    const manifestNumber = `${body}${computeImpbCheckDigit(body)}`;
    const key = await scannerKey(api);
    const scan = scanEvent(manifestNumber, 'accepted', new Date(Date.now() - 60_000));
    expect((await postScans(api, key, [scan])).status).toBe(202);
    await waitFor(async () => (await api.get<View>(`/tracking/${manifestNumber}`)).body.statusCategory === 'accepted', {
      timeoutMs: 60_000,
      intervalMs: 500,
      description: "the scan applied to the manifest's number",
    });
    for (const tn of numbers) expect((await api.get<View>(`/tracking/${tn}`)).body.statusCategory).toBe('pre_shipment');

    // Then the form arrives, as pickup publishes it.
    const created = createEnvelope({
      type: ManifestCreatedV1.type,
      version: ManifestCreatedV1.version,
      key: manifestNumber,
      source: 'pickup',
      data: {
        manifestId: manifestNumber,
        userId: shipper.userId,
        trackingNumbers: numbers,
        date: new Date().toISOString().slice(0, 10),
        createdAt: new Date().toISOString(),
      },
    });
    const send = () =>
      produce(Topics.Pickup, [{ key: manifestNumber, value: created }], { prefix: portal.topicPrefix });
    await send();
    const acceptances = (view: View) => view.events.filter((e) => e.code === 'accepted');
    for (const tn of numbers) {
      const view = await waitFor(
        async () => {
          const res = await api.get<View>(`/tracking/${tn}`);
          return res.body.statusCategory === 'accepted' ? res.body : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 500, description: `label ${tn} accepted by the earlier manifest scan` },
      );
      expect(acceptances(view)).toEqual([expect.objectContaining({ occurredAt: scan.occurredAt })]);
    }

    // The form redelivered and the scan sent again change nothing more.
    await send();
    expect((await postScans(api, key, [scan])).status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    for (const tn of numbers) expect(acceptances((await api.get<View>(`/tracking/${tn}`)).body)).toHaveLength(1);
  });
});

describe('Failed return-label charges (through the gateway, real stack)', () => {
  interface LabelView {
    labelId: string;
    trackingNumber: string;
    acceptedAt?: string;
    returnCharge?: { method: string; state: string; failureReason?: string; chargedAt?: string };
  }

  it('emails the shipper when the charge is refused, and lets them pay it once with a card', async () => {
    const { api, mailpit } = flow;
    const shipper = await createUser(api, mailpit);
    const outbound = await createLabel(api, shipper.accessToken);
    // An empty postage balance: the charge at the first scan is refused.
    const ret = (
      await api.post<LabelView>(
        `/labels/${outbound.labelId}/return`,
        { payment: { method: 'balance' }, service: 'ground_advantage' },
        shipper.accessToken,
      )
    ).body;
    // Not failed yet: nothing to pay.
    expect(
      (await api.post(`/labels/${ret.labelId}/return-charge`, { payment: { method: 'balance' } }, shipper.accessToken))
        .status,
    ).toBe(409);
    const key = await scannerKey(api);
    expect(
      (await postScans(api, key, [scanEvent(ret.trackingNumber, 'accepted', new Date(Date.now() - 60_000))])).status,
    ).toBe(202);
    const labelOf = async (labelId: string) =>
      (await api.get<LabelView>(`/labels/${labelId}`, shipper.accessToken)).body;
    await waitFor(async () => (await labelOf(ret.labelId)).returnCharge?.state === 'failed', {
      timeoutMs: 60_000,
      intervalMs: 500,
      description: 'the refused return charge recorded',
    });
    const mail = await mailpit.waitForMessage({
      to: shipper.email,
      subject: `Payment needed for return label ${ret.trackingNumber}`,
      timeoutMs: 60_000,
    });
    expect(await mailpit.messageText(mail.ID)).toMatch(/insufficient_balance/);

    // Bad input, another account, a label that is not a return label.
    const path = `/labels/${ret.labelId}/return-charge`;
    expect((await api.post(path, {}, shipper.accessToken)).status).toBe(400);
    expect((await api.post(path, { payment: { method: 'cash' } }, shipper.accessToken)).status).toBe(400);
    expect((await api.post(path, { payment: { method: 'card' }, extra: 1 }, shipper.accessToken)).status).toBe(400);
    const stranger = await createUser(api, mailpit);
    expect((await api.post(path, { payment: { method: 'balance' } }, stranger.accessToken)).status).toBe(404);
    expect(
      (
        await api.post(
          `/labels/${outbound.labelId}/return-charge`,
          { payment: { method: 'balance' } },
          shipper.accessToken,
        )
      ).status,
    ).toBe(404);

    // The balance is still short: refused again (402), still failed.
    const again = await api.post(path, { payment: { method: 'balance' } }, shipper.accessToken);
    expect(again.status).toBe(402);
    expect((await labelOf(ret.labelId)).returnCharge?.state).toBe('failed');

    // Paid by card: charged once; asking again answers the same and charges nothing more.
    const [paid, twice] = await Promise.all([
      api.post<LabelView>(path, { payment: TEST_CARD_PAYMENT }, shipper.accessToken),
      api.post<LabelView>(path, { payment: TEST_CARD_PAYMENT }, shipper.accessToken),
    ]);
    expect([paid.status, twice.status]).toEqual([200, 200]);
    expect(paid.body.returnCharge).toMatchObject({ state: 'charged' });
    const third = await api.post<LabelView>(path, { payment: TEST_CARD_PAYMENT }, shipper.accessToken);
    expect(third.status).toBe(200);
    expect(third.body.returnCharge?.state).toBe('charged');
    const history = await api.get<{ items: { id: string; subjectId?: string; amountCents: number }[] }>(
      '/account/balance/history',
      shipper.accessToken,
    );
    const charges = history.body.items.filter((e) => e.subjectId === ret.labelId);
    expect(charges).toHaveLength(1);
  });
});

describe('Batch uploads per account (through the gateway, real stack)', () => {
  it('refuses the batch over PICKUP_BATCH_RATE_LIMIT with 429 and Retry-After; refused files and other accounts do not count', async () => {
    const { api, mailpit } = flow;
    const owner = await createUser(api, mailpit);
    const other = await createUser(api, mailpit);
    // One bad row and invalidRows=reject: the job makes and charges nothing.
    const csv = [BATCH_CSV_COLUMNS.join(','), BATCH_CSV_COLUMNS.map(() => 'x').join(',')].join('\n');
    const upload = (token: string, body = csv) =>
      api.call<{ batchId?: string; message?: unknown }>('POST', '/labels/batches?payment=balance&invalidRows=reject', {
        token,
        headers: { 'content-type': 'text/csv' },
        body,
      });
    // A file refused at once is a 400 and uses nothing.
    expect((await upload(owner.accessToken, 'not,a,batch\n1,2,3')).status).toBe(400);
    for (let i = 0; i < 3; i++) expect((await upload(owner.accessToken)).status).toBe(202);
    const refused = await upload(owner.accessToken);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(JSON.stringify(refused.body)).toContain('batches per account per hour');
    expect((await upload(other.accessToken)).status).toBe(202);
  });
});
