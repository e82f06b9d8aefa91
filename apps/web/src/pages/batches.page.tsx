import { useEffect, useState } from 'react';
import { api } from '../api/api-client';
import { PaymentSelect, TEST_CARD_PAYMENT_METHOD, type PaymentChoice } from '../components/payment-choice';
import { ErrorSummary, Form, Loading, PageTitle, Select, Success, useAction, useLoad } from '../components/ui';
import { dateTime, money } from '../lib/format';
import { Trans, useTranslation } from 'react-i18next';
import { intlLocale } from '../i18n/i18n';
import type { TFunction } from 'i18next';
import type { ApiSchemas } from '../api/types';

type BatchView = ApiSchemas['BatchView'];

const RUNNING = new Set(['queued', 'validating', 'paying', 'issuing']);
const STATUSES = new Set([...RUNNING, 'completed', 'failed']);

/** A batch's status in the page's language. */
function statusName(status: string, t: TFunction): string {
  return STATUSES.has(status) ? t(`batches.status_${status}`) : status;
}
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
function progress(batch: BatchView, t: TFunction): { value: number; max: number; text: string } {
  if (batch.status === 'issuing' || batch.status === 'completed') {
    return {
      value: batch.labelsIssued,
      max: Math.max(batch.validRows, 1),
      text: t('batches.labelsMade', { count: batch.validRows, made: batch.labelsIssued }),
    };
  }
  if (batch.status === 'paying')
    return { value: 0, max: 1, text: t('batches.paying', { amount: money(batch.totalCents) }) };
  return {
    value: batch.rowsValidated,
    max: batch.rows,
    text: t('batches.rowsChecked', { count: batch.rows, checked: batch.rowsValidated }),
  };
}

function BatchStatus({ batch }: { batch: BatchView }) {
  const { t } = useTranslation();
  const p = progress(batch, t);
  const download$ = useAction((link: string, name: string) => download(link, name));
  return (
    <section className="panel" aria-labelledby={`batch-${batch.batchId}`}>
      <h2 id={`batch-${batch.batchId}`}>{t('batches.batchOf', { count: batch.rows })}</h2>
      <p>
        <Trans
          i18nKey="batches.statusLine"
          values={{ status: statusName(batch.status, t) }}
          components={{ strong: <strong /> }}
        />
        {batch.status === 'completed'
          ? ` · ${t('batches.labelsTotal', { count: batch.labelsIssued, total: money(batch.totalCents) })}`
          : ''}
      </p>
      <label htmlFor={`progress-${batch.batchId}`}>{p.text}</label>
      <progress id={`progress-${batch.batchId}`} value={p.value} max={p.max} />
      {batch.failure ? <ErrorSummary error={new Error(batch.failure.message)} title={t('batches.failed')} /> : null}
      <ErrorSummary error={download$.error} />
      {batch.errors.length > 0 ? (
        <>
          <h3>{t('batches.problemRows', { count: batch.errors.length })}</h3>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('batches.line')}</th>
                <th scope="col">{t('batches.reference')}</th>
                <th scope="col">{t('batches.problem')}</th>
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
            {t('batches.downloadLabels')}
          </button>
        ) : null}
        {batch.links.csv ? (
          <button type="button" onClick={() => void download$.run(batch.links.csv!, `batch-${batch.batchId}.csv`)}>
            {t('batches.downloadCsv')}
          </button>
        ) : null}
      </div>
    </section>
  );
}

/** Batch shipping: upload a CSV, follow its job, download the labels and tracking numbers. */
export function BatchesPage() {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [payment, setPayment] = useState<PaymentChoice>('card');
  const [invalidRows, setInvalidRows] = useState('skip');
  const [current, setCurrent] = useState<BatchView | null>(null);
  const list = useLoad(() => api.get<{ items: BatchView[] }>('/labels/batches?limit=20'), [current?.status]);
  const template = useAction(() => download(`${API_PREFIX}/labels/batches/template.csv`, 'label-batch-template.csv'));
  const upload = useAction(async () => {
    if (!file) throw new Error(t('batches.chooseFile'));
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
      <PageTitle title={t('batches.title')}>{t('batches.title')}</PageTitle>
      <div className="grid">
        <section className="panel" aria-labelledby="upload-title">
          <h2 id="upload-title">{t('batches.uploadTitle')}</h2>
          <p>{t('batches.uploadIntro', { rows: (1000).toLocaleString(intlLocale()) })}</p>
          <p>
            <button type="button" onClick={() => void template.run()}>
              {t('batches.template')}
            </button>
          </p>
          <ErrorSummary error={upload.error ?? template.error} />
          <Form onSubmit={upload.run} label={t('batches.uploadForm')}>
            <div className="field">
              <label htmlFor="batch-file">{t('batches.file')}</label>
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
              label={t('batches.invalidRows')}
              value={invalidRows}
              onChange={setInvalidRows}
              options={[
                { value: 'skip', label: t('batches.skip') },
                { value: 'reject', label: t('batches.reject') },
              ]}
            />
            <button type="submit" className="primary" disabled={upload.busy}>
              {t('batches.upload')}
            </button>
          </Form>
        </section>
        {current ? (
          <div role="status" aria-live="polite">
            {current.status === 'completed' ? <Success>{t('batches.ready')}</Success> : null}
            <BatchStatus batch={current} />
          </div>
        ) : null}
      </div>
      <section className="panel" aria-labelledby="batches-title">
        <h2 id="batches-title">{t('batches.yours')}</h2>
        <ErrorSummary error={list.error} />
        {list.loading ? <Loading what={t('batches.loading')} /> : null}
        {list.data && list.data.items.length === 0 ? <p className="muted">{t('batches.none')}</p> : null}
        <ul className="item-list">
          {list.data?.items.map((b) => (
            <li key={b.batchId}>
              <div>
                <strong>{t('batches.rowsStatus', { count: b.rows, status: statusName(b.status, t) })}</strong>
                <div>
                  {t('batches.summary', {
                    count: b.labelsIssued,
                    problems: t('batches.problemCount', { count: b.errors.length }),
                    total: money(b.totalCents),
                  })}
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
