import { PDFDocument } from 'pdf-lib';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { BATCH_CSV_COLUMNS, MAX_BATCH_ROWS } from '@app/contracts';
import { waitFor } from '@app/testing';
import { LedgerService } from '../src/account/ledger.service';
import { PaymentProvider } from '../src/payments/payment-provider';
import { startPickup, type PickupUnderTest } from './support/pickup-app';

jest.setTimeout(180_000);

type Row = Partial<Record<(typeof BATCH_CSV_COLUMNS)[number], string>>;

const good: Row = {
  from_name: 'ACME WIDGETS',
  from_line1: '1 MAIN ST',
  from_city: 'CHICAGO',
  from_state: 'IL',
  from_zip: '60601',
  to_name: 'ALAN TURING',
  to_line1: '2 ELM ST',
  to_city: 'DENVER',
  to_state: 'CO',
  to_zip: '80202',
  weight_oz: '20',
  service: 'priority',
};

const cell = (v: string | undefined) => (v === undefined ? '' : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csvOf = (rows: Row[]) =>
  [BATCH_CSV_COLUMNS.join(','), ...rows.map((r) => BATCH_CSV_COLUMNS.map((c) => cell(r[c])).join(','))].join('\n') +
  '\n';

// Batch shipping on the real stack (FerretDB, Redis/BullMQ, Kafka, stripe-mock): the upload, the job, the outputs.
describe('label batches: a CSV of labels made by one job and paid in one checkout', () => {
  let pickup: PickupUnderTest;
  const api = () => request(pickup.app.getHttpServer());
  const upload = (auth: string, body: string | Buffer, query = '', type = 'text/csv') =>
    api().post(`/api/v1/labels/batches${query}`).set('authorization', auth).set('content-type', type).send(body);
  const topUp = (auth: string, amountCents: number) =>
    api()
      .post('/api/v1/account/balance/top-ups')
      .set('authorization', auth)
      .send({ amountCents, paymentMethodId: 'pm_card_visa' })
      .expect(201);
  const balance = async (auth: string) =>
    (await api().get('/api/v1/account/balance').set('authorization', auth).expect(200)).body.balanceCents as number;
  const finished = (auth: string, batchId: string) =>
    waitFor(
      async () => {
        const res = await api().get(`/api/v1/labels/batches/${batchId}`).set('authorization', auth).expect(200);
        const body = res.body as Record<string, unknown>;
        return ['completed', 'failed'].includes(body.status as string) ? body : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 300 },
    ) as Promise<Record<string, unknown> & { errors: { line: number; reason: string }[] }>;

  beforeAll(async () => {
    pickup = await startPickup({ env: { PICKUP_BATCH_BACKOFF_MS: '200' } });
  });

  afterEach(() => jest.restoreAllMocks());

  afterAll(async () => {
    await pickup?.close();
  });

  it('serves the template: every documented column and an example row that is itself a valid batch', async () => {
    const alice = await pickup.token();
    const res = await api().get('/api/v1/labels/batches/template.csv').set('authorization', alice).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const [header, example]: string[][] = parse(res.text);
    expect(header).toEqual([...BATCH_CSV_COLUMNS]);
    expect(example).toHaveLength(BATCH_CSV_COLUMNS.length);
    await topUp(alice, 10_000);
    const queued = await upload(alice, res.text).expect(202);
    expect((await finished(alice, queued.body.batchId as string)).status).toBe('completed');
  });

  it('makes labels for the good rows, reports each bad row by line, and merges the PDF and CSV', async () => {
    const bob = await pickup.token();
    await topUp(bob, 20_000);
    const rows: Row[] = [
      { ...good, reference: '=HYPERLINK("http://evil.example","x")' }, // line 2, a formula
      { ...good, to_zip: '1234', reference: 'BAD-ZIP' }, // line 3
      { ...good, reference: '+1-555', service: 'ground_advantage', to_line2: 'APT "4", REAR' }, // line 4
      { ...good, service: 'teleport', weight_oz: 'heavy', reference: '@SUM(A1)' }, // line 5
      { ...good, reference: 'OK-3', to_zip: '10001' }, // line 6
    ];
    const res = await upload(bob, csvOf(rows)).expect(202);
    expect(res.body).toMatchObject({ status: 'queued', rows: 5 });
    const batchId = res.body.batchId as string;
    const done = await finished(bob, batchId);
    expect(done).toMatchObject({ status: 'completed', rows: 5, validRows: 3, labelsIssued: 3, rowsValidated: 5 });
    expect(done.errors.map((e) => e.line)).toEqual([3, 5]);
    expect(done.errors[0].reason).toMatch(/to_zip: zip must be 5 digits/);
    expect(done.errors[1].reason).toMatch(/weight_oz/);
    expect(done.errors[1].reason).toMatch(/service/);
    // One charge for the whole batch, of exactly its labels' prices.
    const labels = (await api().get('/api/v1/labels').set('authorization', bob).expect(200)).body.items as {
      labelId: string;
      trackingNumber: string;
      priceCents: number;
    }[];
    expect(labels).toHaveLength(3);
    const total = labels.reduce((s, l) => s + l.priceCents, 0);
    expect(done.totalCents).toBe(total);
    expect(await balance(bob)).toBe(20_000 - total);
    const history = (await api().get('/api/v1/account/balance/history').set('authorization', bob).expect(200)).body
      .items as { kind: string; balanceChangeCents: number; subjectId?: string }[];
    expect(history.filter((e) => e.subjectId === batchId)).toEqual([
      expect.objectContaining({ kind: 'label_charge', balanceChangeCents: -total }),
    ]);

    const pdf = await api().get(`/api/v1/labels/batches/${batchId}/labels.pdf`).set('authorization', bob).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((await PDFDocument.load(pdf.body as Buffer)).getPageCount()).toBe(3);

    const out = await api().get(`/api/v1/labels/batches/${batchId}/labels.csv`).set('authorization', bob).expect(200);
    const records = parse<Record<string, string>>(out.text, { columns: true });
    expect(records.map((r) => [r.line, r.outcome])).toEqual([
      ['2', 'created'],
      ['3', 'invalid'],
      ['4', 'created'],
      ['5', 'invalid'],
      ['6', 'created'],
    ]);
    // Formula cells come back inert.
    expect(records[0].reference).toBe(`'=HYPERLINK("http://evil.example","x")`);
    expect(records[2].reference).toBe("'+1-555");
    expect(records[3].reference).toBe("'@SUM(A1)");
    expect(
      records
        .filter((r) => r.outcome === 'created')
        .map((r) => r.tracking_number)
        .sort(),
    ).toEqual(labels.map((l) => l.trackingNumber).sort());
    expect(records[1].error).toMatch(/to_zip/);
  });

  it('shows a batch and its files to its owner only', async () => {
    const carol = await pickup.token();
    const mallory = await pickup.token();
    await topUp(carol, 5_000);
    const batchId = (await upload(carol, csvOf([good])).expect(202)).body.batchId as string;
    await finished(carol, batchId);
    for (const path of ['', '/labels.pdf', '/labels.csv']) {
      await api().get(`/api/v1/labels/batches/${batchId}${path}`).set('authorization', mallory).expect(404);
    }
    expect((await api().get('/api/v1/labels/batches').set('authorization', mallory).expect(200)).body.items).toEqual(
      [],
    );
    const mine = (await api().get('/api/v1/labels/batches').set('authorization', carol).expect(200)).body.items as {
      batchId: string;
    }[];
    expect(mine.map((b) => b.batchId)).toEqual([batchId]);
  });

  it('refuses hostile or malformed files with a 4xx and the reason', async () => {
    const dave = await pickup.token();
    const latin1 = Buffer.from(csvOf([{ ...good, to_name: 'JOSÉ' }]), 'latin1');
    expect((await upload(dave, latin1).expect(400)).body.message).toMatch(/not valid UTF-8 \(at byte \d+\)/);
    const utf16 = Buffer.from(`\uFEFF${csvOf([good])}`, 'utf16le');
    expect((await upload(dave, utf16).expect(400)).body.message).toMatch(/UTF-8/);
    const tooMany = csvOf(Array.from({ length: MAX_BATCH_ROWS + 1 }, () => good));
    expect((await upload(dave, tooMany).expect(400)).body.message).toMatch(/at most 1000 rows/);
    const huge = csvOf([{ ...good, to_line1: 'X'.repeat(5_000) }]);
    expect((await upload(dave, huge).expect(400)).body.message).toMatch(/longer than 2000 characters/);
    await upload(dave, `${BATCH_CSV_COLUMNS.join(',')}\n${'A,'.repeat(300_000)}\n`).expect(413);
    expect((await upload(dave, `${BATCH_CSV_COLUMNS.join(',')},password\n`).expect(400)).body.message).toMatch(
      /^1 unknown column: "password"$/,
    );
    expect((await upload(dave, 'reference,to_zip\nX,80202\n').expect(400)).body.message).toMatch(/missing column/);
    expect((await upload(dave, `${BATCH_CSV_COLUMNS.join(',')}\n`).expect(400)).body.message).toMatch(/no rows/);
    expect((await upload(dave, '').expect(400)).body.message).toMatch(/empty/);
    expect((await upload(dave, 'a,"b\n').expect(400)).body.message).toMatch(/cannot be read/);
    await upload(dave, JSON.stringify({ rows: [] }), '', 'application/json').expect(415);
    expect((await upload(dave, csvOf([good]), '', 'text/csv; charset=iso-8859-1').expect(415)).body.message).toMatch(
      /UTF-8/,
    );
    expect((await upload(dave, csvOf([good]), '?payment=card').expect(400)).body.message).toEqual(
      expect.arrayContaining([expect.stringMatching(/paymentMethodId/)]),
    );
    await upload(dave, csvOf([good]), '?invalidRows=maybe').expect(400);
    expect((await api().get('/api/v1/labels/batches').set('authorization', dave).expect(200)).body.items).toEqual([]);
  });

  it('with invalidRows=reject makes no label and charges nothing when one row is bad', async () => {
    const erin = await pickup.token();
    await topUp(erin, 5_000);
    const res = await upload(erin, csvOf([good, { ...good, to_state: 'Colorado' }]), '?invalidRows=reject').expect(202);
    const done = await finished(erin, res.body.batchId as string);
    expect(done).toMatchObject({ status: 'failed', failure: { code: 'invalid_rows' }, labelsIssued: 0 });
    expect(done.errors).toEqual([expect.objectContaining({ line: 3, reason: expect.stringMatching(/to_state/) })]);
    expect(await balance(erin)).toBe(5_000);
    expect((await api().get('/api/v1/labels').set('authorization', erin).expect(200)).body.items).toEqual([]);
    await api().get(`/api/v1/labels/batches/${res.body.batchId}/labels.pdf`).set('authorization', erin).expect(409);
  });

  it('fails a batch the balance cannot pay, with the shortfall reason, making nothing', async () => {
    const frank = await pickup.token();
    await topUp(frank, 1_000);
    const dear = { ...good, service: 'priority_express', weight_oz: '70' };
    const res = await upload(frank, csvOf([dear, dear, dear])).expect(202);
    const done = await finished(frank, res.body.batchId as string);
    expect(done).toMatchObject({ status: 'failed', failure: { code: 'insufficient_balance' } });
    expect(await balance(frank)).toBe(1_000);
  });

  it('charges a card once when the job dies after the charge and before booking it, then retries', async () => {
    const grace = await pickup.token();
    const provider = pickup.app.get(PaymentProvider);
    const ledger = pickup.app.get(LedgerService);
    const charge = jest.spyOn(provider, 'charge');
    // The crash window: the provider took the money, the entry that books it is not written yet.
    jest.spyOn(ledger, 'recordCardPayment').mockRejectedValueOnce(new Error('process died'));
    const res = await upload(grace, csvOf([good, good]), '?payment=card&paymentMethodId=pm_card_visa').expect(202);
    const batchId = res.body.batchId as string;
    const done = await finished(grace, batchId);
    expect(done).toMatchObject({ status: 'completed', labelsIssued: 2 });
    // Retried with the one idempotency key of the batch: the provider charges it at most once.
    expect(new Set(charge.mock.calls.map((c) => c[0].idempotencyKey))).toEqual(new Set([`batch_charge:${batchId}`]));
    expect(charge.mock.calls.length).toBeGreaterThanOrEqual(2);
    const history = (await api().get('/api/v1/account/balance/history').set('authorization', grace).expect(200)).body
      .items as { subjectId?: string; method: string }[];
    expect(history.filter((e) => e.subjectId === batchId)).toEqual([expect.objectContaining({ method: 'card' })]);
    expect((await api().get('/api/v1/labels').set('authorization', grace).expect(200)).body.items).toHaveLength(2);
  });

  it('debits the balance once when the job dies after paying and before making the labels', async () => {
    const heidi = await pickup.token();
    await topUp(heidi, 10_000);
    const ledger = pickup.app.get(LedgerService);
    jest.spyOn(ledger, 'applyEffect').mockRejectedValueOnce(new Error('process died'));
    const res = await upload(heidi, csvOf([good, good])).expect(202);
    const done = await finished(heidi, res.body.batchId as string);
    expect(done).toMatchObject({ status: 'completed', labelsIssued: 2 });
    expect(await balance(heidi)).toBe(10_000 - (done.totalCents as number));
  });

  it('answers a repeated upload with the same Idempotency-Key with the same batch; other options are a 422', async () => {
    const judy = await pickup.token();
    await topUp(judy, 5_000);
    const key = `batch-${Date.now()}`;
    const first = await upload(judy, csvOf([good]))
      .set('idempotency-key', key)
      .expect(202);
    const again = await upload(judy, csvOf([good]))
      .set('idempotency-key', key)
      .expect(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.batchId).toBe(first.body.batchId);
    await upload(judy, csvOf([good]), '?invalidRows=reject')
      .set('idempotency-key', key)
      .expect(422);
    await upload(judy, csvOf([good, good]))
      .set('idempotency-key', key)
      .expect(422);
    await finished(judy, first.body.batchId as string);
    expect((await api().get('/api/v1/labels').set('authorization', judy).expect(200)).body.items).toHaveLength(1);
  });

  it("refunds one label of a batch to the balance, at that label's price", async () => {
    const ivan = await pickup.token();
    await topUp(ivan, 10_000);
    const res = await upload(ivan, csvOf([good, { ...good, to_zip: '10001' }])).expect(202);
    const done = await finished(ivan, res.body.batchId as string);
    const [labelId] = done.labelIds as string[];
    const label = (await api().get(`/api/v1/labels/${labelId}`).set('authorization', ivan).expect(200)).body as {
      priceCents: number;
    };
    const refunded = await api().post(`/api/v1/labels/${labelId}/refund`).set('authorization', ivan).expect(200);
    expect(refunded.body.refund).toEqual({ method: 'balance', amountCents: label.priceCents, status: 'succeeded' });
    expect(await balance(ivan)).toBe(10_000 - (done.totalCents as number) + label.priceCents);
  });
});
