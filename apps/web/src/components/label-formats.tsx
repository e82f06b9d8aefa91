import { useState } from 'react';
import type { TFunction } from 'i18next';
import { Trans, useTranslation } from 'react-i18next';
import { api } from '../api/api-client';
import { humanize, money } from '../lib/format';
import { type PaymentChoice, PaymentSelect, paymentBody } from './payment-choice';
import { ErrorSummary, Form, Success, useAction } from './ui';

/** The fields of a label these controls need (a subset of the labels page's LabelView). */
export interface LabelRef {
  labelId: string;
  trackingNumber: string;
  priceCents: number;
  returnOf?: string;
  returnCharge?: { method: 'balance' | 'card'; state: string; failureReason?: string };
}

/**
 * The formats `GET /labels/:id/…` serves, as offered for download. Each button's accessible name
 * contains its visible text (WCAG 2.5.3, label in name); the 4×6 PDF is the default label.
 */
function formats(t: TFunction) {
  return [
    {
      path: 'pdf?format=4x6',
      ext: 'pdf',
      text: t('labelFormats.pdf'),
      name: (trackingNumber: string) => t('labelFormats.downloadPdfOf', { trackingNumber }),
    },
    {
      path: 'pdf?format=letter',
      ext: 'letter.pdf',
      text: t('labelFormats.letterPdf'),
      name: (trackingNumber: string) => t('labelFormats.downloadLetterPdfOf', { trackingNumber }),
    },
    {
      path: 'zpl',
      ext: 'zpl',
      text: t('labelFormats.zpl'),
      name: (trackingNumber: string) => t('labelFormats.downloadZplOf', { trackingNumber }),
    },
    {
      path: 'png',
      ext: 'png',
      text: t('labelFormats.png'),
      name: (trackingNumber: string) => t('labelFormats.downloadPngOf', { trackingNumber }),
    },
  ];
}

type Format = ReturnType<typeof formats>[number];

const CHARGE_STATES = new Set(['awaiting_scan', 'due', 'charged', 'failed']);

/** Saves a file from the authenticated API as a download. */
async function download(path: string, filename: string): Promise<void> {
  const blob = await api.blob(path);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The QR code as a data: URL (the page's CSP allows images from 'self' and data:, not blob:). */
async function qrDataUrl(labelId: string): Promise<string> {
  const blob = await api.blob(`/labels/${encodeURIComponent(labelId)}/qr`);
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(reader.error ?? new Error('could not read the QR code'));
    reader.readAsDataURL(blob);
  });
}

/** A label's download links, one per format. */
export function LabelDownloads({ label }: { label: LabelRef }) {
  const { t } = useTranslation();
  const save = useAction(async (format: Format) =>
    download(
      `/labels/${encodeURIComponent(label.labelId)}/${format.path}`,
      `label-${label.trackingNumber}.${format.ext}`,
    ),
  );
  return (
    <div
      className="actions"
      role="group"
      aria-label={t('labelFormats.downloadsOf', { trackingNumber: label.trackingNumber })}
    >
      <ErrorSummary error={save.error} title={t('labelFormats.downloadFailed')} />
      {formats(t).map((format) => (
        <button
          key={format.path}
          type="button"
          onClick={() => void save.run(format)}
          aria-label={format.name(label.trackingNumber)}
        >
          {format.text}
        </button>
      ))}
    </div>
  );
}

/** Where a return label's charge stands, for its line in the list. */
export function ReturnChargeBadge({ label }: { label: LabelRef }) {
  const { t } = useTranslation();
  if (!label.returnCharge) return null;
  const { state } = label.returnCharge;
  const text = CHARGE_STATES.has(state) ? t(`labelFormats.charge_${state}`) : humanize(state);
  return (
    <span className="badge" title={label.returnCharge.failureReason}>
      {t('labelFormats.returnBadge', { state: text })}
    </span>
  );
}

/**
 * "Create return label" for an outbound label: a prepaid label back to the shipper, charged only on
 * its first scan, with the QR code the customer can show at a post office instead of printing it.
 */
export function ReturnLabelControl({ label, onCreated }: { label: LabelRef; onCreated: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [payWith, setPayWith] = useState<PaymentChoice>('card');
  const [created, setCreated] = useState<{ label: LabelRef; qr: string } | null>(null);
  const create = useAction(async () => {
    const ret = await api.post<LabelRef>(`/labels/${encodeURIComponent(label.labelId)}/return`, {
      payment: paymentBody(payWith),
    });
    setCreated({ label: ret, qr: await qrDataUrl(ret.labelId) });
    onCreated();
  });
  if (label.returnOf) return null;
  if (!open) {
    return (
      <button
        type="button"
        onClick={() => setOpen(true)}
        aria-label={t('labelFormats.createReturnFor', { trackingNumber: label.trackingNumber })}
      >
        {t('labelFormats.createReturn')}
      </button>
    );
  }
  return (
    <div className="return-label">
      <ErrorSummary error={create.error} />
      {created ? (
        <Success>
          <Trans
            i18nKey="labelFormats.returnCreated"
            values={{ trackingNumber: created.label.trackingNumber, price: money(created.label.priceCents) }}
            components={{ strong: <strong className="mono" /> }}
          />
          <img
            className="qr"
            src={created.qr}
            width={160}
            height={160}
            alt={t('labelFormats.qrAlt', { trackingNumber: created.label.trackingNumber })}
          />
          <LabelDownloads label={created.label} />
        </Success>
      ) : (
        <Form onSubmit={create.run} label={t('labelFormats.returnFormFor', { trackingNumber: label.trackingNumber })}>
          <PaymentSelect value={payWith} onChange={setPayWith} />
          <button type="submit" className="primary" disabled={create.busy}>
            {t('labelFormats.createReturn')}
          </button>
        </Form>
      )}
    </div>
  );
}
