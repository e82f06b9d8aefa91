import { parse } from 'csv-parse/sync';
import mongoose from 'mongoose';
import { PDFDocument } from 'pdf-lib';
import { BATCH_CSV_COLUMNS, centralDate, deliveryDaysAfter } from '@app/contracts';
import { createUser, waitFor, type TestUser } from '@app/testing';
import { postScans, scanEvent, scannerKey, startFlow, type Flow } from './flow-helpers';

jest.setTimeout(240_000);

const row = (cells: Record<string, string>) => BATCH_CSV_COLUMNS.map((c) => cells[c] ?? '').join(',');
const good = {
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

// Batch shipping and a SCAN form through the gateway, on the real stack (all five services).
describe('batch shipping and SCAN forms through the gateway (real stack)', () => {
  let flow: Flow;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    flow = await startFlow();
    alice = await createUser(flow.api, flow.mailpit);
    bob = await createUser(flow.api, flow.mailpit);
  });

  afterAll(async () => {
    await flow?.portal.stop();
  });

  it('makes the good rows of a CSV, reports the bad ones, then one scan of a manifest accepts them all', async () => {
    const template = await flow.api.call('GET', '/labels/batches/template.csv', { token: alice.accessToken });
    expect(template.status).toBe(200);
    expect(template.text.split('\r\n')[0]).toBe(BATCH_CSV_COLUMNS.join(','));

    const csv = [
      BATCH_CSV_COLUMNS.join(','),
      row({ ...good, reference: 'A-1' }),
      row({ ...good, reference: 'A-2', to_zip: '99999x' }),
      row({ ...good, reference: '=cmd|calc', service: 'ground_advantage' }),
      row({ ...good, reference: 'A-4', weight_oz: '-3' }),
    ].join('\n');
    const queued = await flow.api.call<{ batchId: string; status: string }>(
      'POST',
      '/labels/batches?payment=card&paymentMethodId=pm_card_visa',
      { token: alice.accessToken, headers: { 'content-type': 'text/csv' }, body: csv },
    );
    expect(queued.status).toBe(202);
    const batchId = queued.body.batchId;
    const done = await waitFor(
      async () => {
        const res = await flow.api.get<{ status: string; errors: { line: number; reason: string }[] } & object>(
          `/labels/batches/${batchId}`,
          alice.accessToken,
        );
        return res.body.status === 'completed' || res.body.status === 'failed' ? res.body : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500, description: 'batch finished' },
    );
    expect(done).toMatchObject({ status: 'completed', rows: 4, validRows: 2, labelsIssued: 2 });
    expect(done.errors.map((e) => e.line)).toEqual([3, 5]);

    expect((await flow.api.get(`/labels/batches/${batchId}`, bob.accessToken)).status).toBe(404);

    const pdf = await flow.api.call('GET', `/labels/batches/${batchId}/labels.pdf`, { token: alice.accessToken });
    expect(pdf.status).toBe(200);
    expect((await PDFDocument.load(Buffer.from(pdf.text, 'latin1'))).getPageCount()).toBe(2);

    const out = await flow.api.call('GET', `/labels/batches/${batchId}/labels.csv`, { token: alice.accessToken });
    expect(out.status).toBe(200);
    const records = parse<Record<string, string>>(Buffer.from(out.text, 'latin1').toString('utf8'), { columns: true });
    expect(records.map((r) => r.outcome)).toEqual(['created', 'invalid', 'created', 'invalid']);
    expect(records[2].reference).toBe("'=cmd|calc");
    const numbers = records.filter((r) => r.outcome === 'created').map((r) => r.tracking_number);
    const labelIds = records.filter((r) => r.outcome === 'created').map((r) => r.label_id);
    // Tracking knows the batch's parcels (LabelCreated went out through the outbox).
    for (const number of numbers) {
      await waitFor(async () => (await flow.api.get(`/tracking/${number}`)).status === 200, { timeoutMs: 60_000 });
    }

    const date = deliveryDaysAfter(centralDate(new Date()), 1)[0];
    const manifest = await flow.api.post<{ manifestNumber: string; labelCount: number }>(
      '/manifests',
      { labelIds, date },
      alice.accessToken,
    );
    expect(manifest.status).toBe(201);
    expect(manifest.body.labelCount).toBe(2);
    const number = manifest.body.manifestNumber;
    const form = await flow.api.call('GET', `/manifests/${number}/pdf`, { token: alice.accessToken });
    expect(form.status).toBe(200);
    expect(form.headers.get('content-type')).toBe('application/pdf');
    expect((await flow.api.post('/manifests', { labelIds: [labelIds[0]], date }, alice.accessToken)).status).toBe(409);

    // Tracking has learnt the form (ManifestCreated through pickup's outbox): read in its own store,
    // since a scan that comes before that is, by design, kept on the manifest's number only.
    const mongo = await mongoose.mongo.MongoClient.connect(process.env.MONGO_URL!);
    try {
      const trackingManifests = mongo
        .db(`tracking_${flow.portal.topicPrefix.replace(/\.$/, '')}`)
        .collection<{ _id: string; trackingNumbers: string[] }>('manifests');
      const known = await waitFor(() => trackingManifests.findOne({ _id: number }).then((m) => m ?? undefined), {
        timeoutMs: 60_000,
        intervalMs: 250,
        description: 'tracking knows the manifest',
      });
      expect(known.trackingNumbers).toEqual(numbers);
    } finally {
      await mongo.close();
    }

    // One acceptance scan of the SCAN form's barcode, as a post office scanner sends it.
    const key = await scannerKey(flow.api);
    const first = scanEvent(number, 'accepted', new Date(Date.now() - 60_000));
    const scanned = await postScans(flow.api, key, [first]);
    expect(scanned.status).toBe(202);
    expect(scanned.body.accepted).toBe(1);
    await waitFor(
      async () => {
        const res = await flow.api.get<{ status: string }>(`/manifests/${number}`, alice.accessToken);
        return res.body.status === 'accepted';
      },
      { timeoutMs: 90_000, intervalMs: 500, description: 'manifest accepted' },
    );
    for (const labelId of labelIds) {
      const label = await flow.api.get<{ acceptedAt?: string }>(`/labels/${labelId}`, alice.accessToken);
      expect(label.body.acceptedAt).toBeDefined();
      expect((await flow.api.post(`/labels/${labelId}/refund`, {}, alice.accessToken)).status).toBe(409);
    }

    // Each label's public tracking shows the form's scan as its own acceptance.
    type View = { statusCategory: string; events: { code: string; occurredAt: string; location: { zip: string } }[] };
    const acceptances = (view: View) => view.events.filter((e) => e.code === 'accepted');
    for (const tn of numbers) {
      const view = await waitFor(
        async () => {
          const res = await flow.api.get<View>(`/tracking/${tn}`);
          return res.status === 200 && res.body.statusCategory === 'accepted' ? res.body : undefined;
        },
        { timeoutMs: 10_000, intervalMs: 250, description: `label ${tn} shows the acceptance` },
      );
      expect(acceptances(view)).toEqual([
        expect.objectContaining({ occurredAt: first.occurredAt, location: expect.objectContaining({ zip: '80202' }) }),
      ]);
    }

    // The same scan sent again and a second scan of the form add nothing to the labels.
    const again = await postScans(flow.api, key, [first, scanEvent(number, 'accepted', new Date())]);
    expect(again.status).toBe(202);
    await waitFor(async () => acceptances((await flow.api.get<View>(`/tracking/${number}`)).body).length === 2, {
      timeoutMs: 30_000,
      intervalMs: 250,
      description: "the manifest number's second scan applied",
    });
    for (const tn of numbers) {
      const view = await flow.api.get<View>(`/tracking/${tn}`);
      expect(acceptances(view.body)).toHaveLength(1);
    }
  });
});
