import { useEffect, useState } from 'react';
import { api } from '../api/api-client';
import { PaymentSelect, TEST_CARD_PAYMENT_METHOD, type PaymentChoice } from '../components/payment-choice';
import { ErrorSummary, Form, Loading, PageTitle, Select, Success, useAction, useLoad } from '../components/ui';
import { dateTime, money } from '../lib/format';

interface BatchView {
  batchId: string;
  status: 'queued' | 'validating' | 'paying' | 'issuing' | 'completed' | 'failed';
  rows: number;
  rowsValidated: number;
  validRows: number;
  labelsIssued: number;
  totalCents: number;
  errors: { line: number; reference?: string; reason: string }[];
  failure?: { code: string; message: string };
  createdAt: string;
  links: { pdf?: string; csv?: string };
}

const RUNNING = new Set(['queued', 'validating', 'paying', 'issuing']);
const API_PREFIX = '/api/v1';

/** Saves a file of the authenticated API (the merged PDF, the CSV) as a download. */
async function download(link: string, filename: string): Promise<void> {
  const blob = await api.blob(link.slice(API_PREFIX.length));
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** What the progress bar shows: rows checked while validating, labels made while issuing. */
function progress(batch: BatchView): { value: number; max: number; text: string } {
  if (batch.status === 'issuing' || batch.status === 'completed') {
    return {
      value: batch.labelsIssued,
      max: Math.max(batch.validRows, 1),
      text: `${batch.labelsIssued} of ${batch.validRows} labels made`,
    };
  }
  if (batch.status === 'paying') return { value: 0, max: 1, text: `Paying ${money(batch.totalCents)}` };
  return { value: batch.rowsValidated, max: batch.rows, text: `${batch.rowsValidated} of ${batch.rows} rows checked` };
}

function BatchStatus({ batch }: { batch: BatchView }) {
  const p = progress(batch);
  const download$ = useAction((link: string, name: string) => download(link, name));
  return (
    <section className="panel" aria-labelledby={`batch-${batch.batchId}`}>
      <h2 id={`batch-${batch.batchId}`}>Batch of {batch.rows} rows</h2>
      <p>
        Status: <strong>{batch.status}</strong>
        {batch.status === 'completed' ? ` · ${batch.labelsIssued} labels · ${money(batch.totalCents)}` : ''}
      </p>
      <label htmlFor={`progress-${batch.batchId}`}>{p.text}</label>
      <progress id={`progress-${batch.batchId}`} value={p.value} max={p.max} />
      {batch.failure ? (
        <ErrorSummary error={new Error(batch.failure.message)} title="The batch made no labels" />
      ) : null}
      <ErrorSummary error={download$.error} />
      {batch.errors.length > 0 ? (
        <>
          <h3>Rows with problems ({batch.errors.length})</h3>
          <table>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Reference</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {batch.errors.map((e) => (
                <tr key={e.line}>
                  <td>{e.line}</td>
                  <td>{e.reference ?? ''}</td>
                  <td>{e.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      <div className="actions">
        {batch.links.pdf ? (
          <button type="button" onClick={() => void download$.run(batch.links.pdf!, `batch-${batch.batchId}.pdf`)}>
            Download labels (PDF)
          </button>
        ) : null}
        {batch.links.csv ? (
          <button type="button" onClick={() => void download$.run(batch.links.csv!, `batch-${batch.batchId}.csv`)}>
            Download tracking numbers (CSV)
          </button>
        ) : null}
      </div>
    </section>
  );
}

/** Batch shipping: upload a CSV, follow its job, download the labels and tracking numbers. */
export function BatchesPage() {
  const [file, setFile] = useState<File | null>(null);
  const [payment, setPayment] = useState<PaymentChoice>('card');
  const [invalidRows, setInvalidRows] = useState('skip');
  const [current, setCurrent] = useState<BatchView | null>(null);
  const list = useLoad(() => api.get<{ items: BatchView[] }>('/labels/batches?limit=20'), [current?.status]);
  const template = useAction(() => download(`${API_PREFIX}/labels/batches/template.csv`, 'label-batch-template.csv'));
  const upload = useAction(async () => {
    if (!file) throw new Error('Choose a CSV file first.');
    const query = new URLSearchParams({ payment, invalidRows });
    if (payment === 'card') query.set('paymentMethodId', TEST_CARD_PAYMENT_METHOD);
    setCurrent(await api.upload<BatchView>(`/labels/batches?${query}`, file, 'text/csv'));
  });

  // Follows the running batch until it completes or fails.
  useEffect(() => {
    if (!current || !RUNNING.has(current.status)) return;
    const timer = setTimeout(() => {
      void api.get<BatchView>(`/labels/batches/${current.batchId}`).then(setCurrent, () => undefined);
    }, 1_000);
    return () => clearTimeout(timer);
  }, [current]);

  return (
    <>
      <PageTitle title="Batch shipping">Batch shipping</PageTitle>
      <div className="grid">
        <section className="panel" aria-labelledby="upload-title">
          <h2 id="upload-title">Upload a CSV</h2>
          <p>
            Up to 1,000 rows, one label each, UTF-8. Start from the template: one row per parcel with the sender,
            recipient, weight in ounces and service.
          </p>
          <p>
            <button type="button" onClick={() => void template.run()}>
              Download the template (CSV)
            </button>
          </p>
          <ErrorSummary error={upload.error ?? template.error} />
          <Form onSubmit={upload.run} label="Upload a batch">
            <div className="field">
              <label htmlFor="batch-file">CSV file</label>
              <input
                id="batch-file"
                type="file"
                accept=".csv,text/csv"
                required
                onChange={(e) => setFile(e.target.files?.[0] ?? null)}
              />
            </div>
            <PaymentSelect value={payment} onChange={setPayment} />
            <Select
              label="If some rows have problems"
              value={invalidRows}
              onChange={setInvalidRows}
              options={[
                { value: 'skip', label: 'Make labels for the good rows, list the others' },
                { value: 'reject', label: 'Make no labels at all' },
              ]}
            />
            <button type="submit" className="primary" disabled={upload.busy}>
              Upload and create labels
            </button>
          </Form>
        </section>
        {current ? (
          <div role="status" aria-live="polite">
            {current.status === 'completed' ? <Success>Your batch is ready.</Success> : null}
            <BatchStatus batch={current} />
          </div>
        ) : null}
      </div>
      <section className="panel" aria-labelledby="batches-title">
        <h2 id="batches-title">Your batches</h2>
        <ErrorSummary error={list.error} />
        {list.loading ? <Loading what="batches" /> : null}
        {list.data && list.data.items.length === 0 ? <p className="muted">No batches yet.</p> : null}
        <ul className="item-list">
          {list.data?.items.map((b) => (
            <li key={b.batchId}>
              <div>
                <strong>
                  {b.rows} rows · {b.status}
                </strong>
                <div>
                  {b.labelsIssued} labels · {b.errors.length} rows with problems · {money(b.totalCents)}
                </div>
                <div className="muted">{dateTime(b.createdAt)}</div>
              </div>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
