import { randomUUID } from 'node:crypto';
import {
  createLabel,
  createUser,
  impbElementString,
  pdfImages,
  readBarcode,
  TEST_TO,
  type TestUser,
  waitFor,
  zplGs1ElementString,
} from '@app/testing';
import { postScans, scanEvent, scannerKey, startFlow, type Flow } from './flow-helpers';

jest.setTimeout(240_000);

type Json = Record<string, unknown>;
interface LabelView {
  labelId: string;
  trackingNumber: string;
  priceCents: number;
  from: { zip: string; name?: string };
  to: { zip: string; name?: string };
  returnOf?: string;
  returnCharge?: { method: string; state: string; failureReason?: string; chargedAt?: string };
  acceptedAt?: string;
}
interface LedgerEntryView {
  kind: string;
  subjectId?: string;
  amountCents: number;
  method: string;
}

/** The body as bytes (PortalClient keeps a binary body as latin1 text). */
const bytes = (text: string) => Buffer.from(text, 'latin1');
const mediaBoxes = (pdf: Buffer) =>
  [...pdf.toString('latin1').matchAll(/\/MediaBox \[([\d. ]+)\]/g)].map((m) => m[1].trim().split(/\s+/).map(Number));

// Issue 18: label formats and pay-on-first-scan return labels, through the gateway on the real stack.
describe('label formats and return labels through the gateway (real stack)', () => {
  let flow: Flow;
  let alice: TestUser;
  let mallory: TestUser;
  let scanner: string;

  beforeAll(async () => {
    flow = await startFlow();
    [alice, mallory] = await Promise.all([createUser(flow.api, flow.mailpit), createUser(flow.api, flow.mailpit)]);
    scanner = await scannerKey(flow.api);
  });

  afterAll(async () => {
    await flow?.portal.stop();
  });

  const history = async (user: TestUser) =>
    (await flow.api.get<{ items: LedgerEntryView[] }>('/account/balance/history', user.accessToken)).body.items;
  const labelOf = async (user: TestUser, labelId: string) =>
    (await flow.api.get<LabelView>(`/labels/${labelId}`, user.accessToken)).body;
  const scan = async (trackingNumber: string, code: string, eventId?: string) => {
    const res = await postScans(flow.api, scanner, [scanEvent(trackingNumber, code, new Date(), eventId)]);
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(1);
  };

  it('serves each format with the same barcode data; another account gets 404; a bad format 400', async () => {
    const label = await createLabel(flow.api, alice.accessToken, { service: 'ground_advantage' });
    const expected = `(420)${TEST_TO.zip}(${label.trackingNumber.slice(0, 2)})${label.trackingNumber.slice(2)}`;
    const get = (path: string, user: TestUser = alice) =>
      flow.api.get(`/labels/${label.labelId}${path}`, user.accessToken);

    const small = await get('/pdf?format=4x6');
    expect(small.status).toBe(200);
    expect(small.headers.get('content-type')).toBe('application/pdf');
    expect(mediaBoxes(bytes(small.text))).toEqual([[0, 0, 288, 432]]);
    const letter = await get('/pdf?format=letter');
    expect(letter.status).toBe(200);
    expect(mediaBoxes(bytes(letter.text))).toEqual([[0, 0, 612, 792]]);
    for (const pdf of [small, letter]) {
      const [barcode] = pdfImages(bytes(pdf.text));
      expect(impbElementString(readBarcode(barcode, 'code128'))).toBe(expected);
    }

    const zpl = await get('/zpl');
    expect(zpl.status).toBe(200);
    expect(zpl.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(zpl.headers.get('content-disposition')).toBe(`attachment; filename="label-${label.trackingNumber}.zpl"`);
    const fields = [...zpl.text.matchAll(/\^BC[^^]*\^FD([^^]*)\^FS/g)].map((m) => m[1]);
    expect(fields.map(zplGs1ElementString)).toEqual([expected]);

    const png = await get('/png');
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(impbElementString(readBarcode(bytes(png.text), 'code128'))).toBe(expected);

    const qr = await get('/qr');
    expect(qr.headers.get('content-type')).toBe('image/png');
    expect(readBarcode(bytes(qr.text), 'qr')).toBe(label.trackingNumber);
    const svg = await get('/qr?format=svg');
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(svg.text).toMatch(/^<svg /);

    for (const path of ['/pdf', '/pdf?format=letter', '/zpl', '/png', '/qr']) {
      const res = await get(path, mallory);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    const bad = await get('/pdf?format=a4');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('format must be one of: 4x6, letter');
    expect((await get('/qr?format=gif')).status).toBe(400);
    expect((await flow.api.get(`/labels/${label.labelId}/zpl`)).status).toBe(401);
  });

  it('charges a return label once, on its first acceptance scan, and its QR carries its tracking number', async () => {
    const outbound = await createLabel(flow.api, alice.accessToken);
    const created = await flow.api.post<LabelView>(
      `/labels/${outbound.labelId}/return`,
      { payment: { method: 'card', paymentMethodId: 'pm_card_visa' } },
      alice.accessToken,
    );
    expect(created.status).toBe(201);
    const ret = created.body;
    expect(ret).toMatchObject({
      returnOf: outbound.labelId,
      from: { zip: TEST_TO.zip },
      to: { zip: '60601' },
      returnCharge: { method: 'card', state: 'awaiting_scan' },
    });
    expect(ret.trackingNumber).not.toBe(outbound.trackingNumber);
    // Asking again answers the same return label; another account cannot make one.
    const again = await flow.api.post<LabelView>(
      `/labels/${outbound.labelId}/return`,
      { payment: { method: 'balance' } },
      alice.accessToken,
    );
    expect(again.status).toBe(200);
    expect(again.body.labelId).toBe(ret.labelId);
    const foreign = await flow.api.post(
      `/labels/${outbound.labelId}/return`,
      { payment: { method: 'balance' } },
      mallory.accessToken,
    );
    expect(foreign.status).toBe(404);
    const charges = async () => (await history(alice)).filter((e) => e.subjectId === ret.labelId);
    expect(await charges()).toEqual([]);

    const qr = await flow.api.get(`/labels/${ret.labelId}/qr`, alice.accessToken);
    expect(readBarcode(bytes(qr.text), 'qr')).toBe(ret.trackingNumber);

    const acceptance = randomUUID();
    await scan(ret.trackingNumber, 'accepted', acceptance);
    const charged = await waitFor(
      async () => {
        const label = await labelOf(alice, ret.labelId);
        return label.returnCharge?.state === 'charged' ? label : undefined;
      },
      { timeoutMs: 60_000, description: 'the return label charged' },
    );
    expect(charged.acceptedAt).toBeDefined();
    expect(await charges()).toEqual([
      expect.objectContaining({ kind: 'label_charge', amountCents: ret.priceCents, method: 'card' }),
    ]);

    // The same scan again, a second acceptance scan and a later scan: still charged once.
    await scan(ret.trackingNumber, 'accepted', acceptance);
    await scan(ret.trackingNumber, 'accepted');
    await scan(ret.trackingNumber, 'in_transit');
    await waitFor(
      async () => {
        const tracked = await flow.api.get<{ events?: { code: string }[] }>(`/tracking/${ret.trackingNumber}`);
        return tracked.body.events?.some((e) => e.code === 'in_transit') ? tracked : undefined;
      },
      { timeoutMs: 60_000, description: 'the later scans tracked' },
    );
    // The acceptance consumer sees the later scans after tracking does: give it time to (not) charge.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await charges()).toHaveLength(1);
    expect((await labelOf(alice, ret.labelId)).returnCharge?.state).toBe('charged');
  });

  it('lets the parcel travel when the charge is refused, and records why on the label', async () => {
    const outbound = await createLabel(flow.api, mallory.accessToken);
    // An empty postage balance: the charge at the first scan is refused.
    const ret = (
      await flow.api.post<LabelView>(
        `/labels/${outbound.labelId}/return`,
        { payment: { method: 'balance' }, service: 'ground_advantage' },
        mallory.accessToken,
      )
    ).body;
    expect(ret.returnCharge).toMatchObject({ method: 'balance', state: 'awaiting_scan' });
    await scan(ret.trackingNumber, 'accepted');
    const failed = await waitFor(
      async () => {
        const label = await labelOf(mallory, ret.labelId);
        return label.returnCharge?.state === 'failed' ? label : undefined;
      },
      { timeoutMs: 60_000, description: 'the refused return charge recorded' },
    );
    expect(failed.returnCharge?.failureReason).toMatch(/insufficient_balance/);
    expect(failed.acceptedAt).toBeDefined();
    const tracked = await flow.api.get<{ statusCategory: string }>(`/tracking/${ret.trackingNumber}`);
    expect(tracked.body.statusCategory).toBe('accepted');
    expect((await history(mallory)).filter((e) => e.subjectId === ret.labelId)).toEqual([]);
  });

  it('refuses a return label without a payment, or of a return label', async () => {
    const outbound = await createLabel(flow.api, alice.accessToken);
    const missing = await flow.api.post<Json>(`/labels/${outbound.labelId}/return`, {}, alice.accessToken);
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body.message)).toContain('payment is required');
    const ret = await flow.api.post<LabelView>(
      `/labels/${outbound.labelId}/return`,
      { payment: { method: 'balance' } },
      alice.accessToken,
    );
    const nested = await flow.api.post<Json>(
      `/labels/${ret.body.labelId}/return`,
      { payment: { method: 'balance' } },
      alice.accessToken,
    );
    expect(nested.status).toBe(409);
    expect(String(nested.body.message)).toMatch(/return label already/);
  });
});
