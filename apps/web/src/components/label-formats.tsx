import { useState } from 'react';
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
const FORMATS = [
  { path: 'pdf?format=4x6', ext: 'pdf', text: 'PDF', name: (tn: string) => `Download PDF of label ${tn}` },
  {
    path: 'pdf?format=letter',
    ext: 'letter.pdf',
    text: 'Letter PDF',
    name: (tn: string) => `Download Letter PDF of label ${tn}`,
  },
  { path: 'zpl', ext: 'zpl', text: 'ZPL', name: (tn: string) => `Download ZPL of label ${tn}` },
  { path: 'png', ext: 'png', text: 'PNG', name: (tn: string) => `Download PNG of label ${tn}` },
] as const;

const CHARGE_STATES: Record<string, string> = {
  awaiting_scan: 'charged when first scanned',
  due: 'being charged',
  charged: 'charged',
  failed: 'charge refused',
};

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
  const save = useAction(async (format: (typeof FORMATS)[number]) =>
    download(
      `/labels/${encodeURIComponent(label.labelId)}/${format.path}`,
      `label-${label.trackingNumber}.${format.ext}`,
    ),
  );
  return (
    <div className="actions" role="group" aria-label={`Download label ${label.trackingNumber}`}>
      <ErrorSummary error={save.error} title="The download failed" />
      {FORMATS.map((format) => (
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
  if (!label.returnCharge) return null;
  const state = CHARGE_STATES[label.returnCharge.state] ?? humanize(label.returnCharge.state);
  return (
    <span className="badge" title={label.returnCharge.failureReason}>
      Return label · {state}
    </span>
  );
}

/**
 * "Create return label" for an outbound label: a prepaid label back to the shipper, charged only on
 * its first scan, with the QR code the customer can show at a post office instead of printing it.
 */
export function ReturnLabelControl({ label, onCreated }: { label: LabelRef; onCreated: () => void }) {
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
        aria-label={`Create return label for ${label.trackingNumber}`}
      >
        Create return label
      </button>
    );
  }
  return (
    <div className="return-label">
      <ErrorSummary error={create.error} />
      {created ? (
        <Success>
          Return label <strong className="mono">{created.label.trackingNumber}</strong>: nothing is charged until it is
          first scanned ({money(created.label.priceCents)} then). Your customer can print it or show this QR code at a
          post office.
          <img
            className="qr"
            src={created.qr}
            width={160}
            height={160}
            alt={`QR code of return label ${created.label.trackingNumber}`}
          />
          <LabelDownloads label={created.label} />
        </Success>
      ) : (
        <Form onSubmit={create.run} label={`Return label for ${label.trackingNumber}`}>
          <PaymentSelect value={payWith} onChange={setPayWith} />
          <button type="submit" className="primary" disabled={create.busy}>
            Create return label
          </button>
        </Form>
      )}
    </div>
  );
}
