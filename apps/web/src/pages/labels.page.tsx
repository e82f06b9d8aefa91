import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/api-client';
import {
  AddressFields,
  cleanAddress,
  EMPTY_ADDRESS,
  formatAddress,
  type AddressValue,
} from '../components/address-fields';
import { LabelDownloads, ReturnChargeBadge, ReturnLabelControl } from '../components/label-formats';
import { ErrorSummary, Field, Form, Loading, PageTitle, Success, useAction, useLoad } from '../components/ui';
import { type PaymentChoice, PaymentSelect, paymentBody } from '../components/payment-choice';
import { dateTime, humanize, money } from '../lib/format';
import { useSessionUser } from '../session';

interface Quote {
  service: string;
  priceCents: number;
  zone: number;
  deliveryDays: number;
}

export interface LabelView {
  labelId: string;
  trackingNumber: string;
  service: string;
  priceCents: number;
  status: string;
  from: AddressValue;
  to: AddressValue;
  createdAt: string;
  refundedAt?: string;
  paidBy?: 'balance' | 'card';
  returnOf?: string;
  returnCharge?: { method: 'balance' | 'card'; state: string; failureReason?: string };
}

function LabelList({ version }: { version: number }) {
  const labels = useLoad(() => api.get<{ items: LabelView[] }>('/labels?limit=50'), [version]);
  const [notice, setNotice] = useState<string | null>(null);
  const act = useAction(async (label: LabelView) => {
    setNotice(null);
    await api.post(`/labels/${encodeURIComponent(label.labelId)}/refund`);
    setNotice(
      `Label ${label.trackingNumber} refunded: ${money(label.priceCents)} goes back to ${
        label.paidBy === 'balance' ? 'your postage balance' : label.paidBy === 'card' ? 'the card that paid' : 'you'
      }.`,
    );
    labels.reload();
  });
  return (
    <section className="panel" aria-labelledby="labels-title">
      <h2 id="labels-title">Your labels</h2>
      <ErrorSummary error={labels.error ?? act.error} />
      {notice ? <Success>{notice}</Success> : null}
      {labels.loading ? <Loading what="labels" /> : null}
      {labels.data && labels.data.items.length === 0 ? <p className="muted">No labels yet.</p> : null}
      <ul className="item-list">
        {labels.data?.items.map((l) => (
          <li key={l.labelId}>
            <div>
              <Link className="mono" to={`/track?numbers=${l.trackingNumber}`}>
                {l.trackingNumber}
              </Link>
              <div>
                {humanize(l.service)} · {money(l.priceCents)} · <span className="badge">{humanize(l.status)}</span>{' '}
                <ReturnChargeBadge label={l} />
              </div>
              <div className="muted">
                To {formatAddress(l.to)} · {dateTime(l.createdAt)}
              </div>
            </div>
            <div className="actions">
              <LabelDownloads label={l} />
              {l.status === 'active' ? <ReturnLabelControl label={l} onCreated={labels.reload} /> : null}
              {l.status === 'active' ? (
                <button type="button" onClick={() => void act.run(l)} aria-label={`Refund label ${l.trackingNumber}`}>
                  Refund
                </button>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function LabelsPage({ quoteOnly = false }: { quoteOnly?: boolean }) {
  const user = useSessionUser();
  const [from, setFrom] = useState<AddressValue>(EMPTY_ADDRESS);
  const [to, setTo] = useState<AddressValue>(EMPTY_ADDRESS);
  const [weightOz, setWeightOz] = useState('16');
  const [quotes, setQuotes] = useState<Quote[] | null>(null);
  const [service, setService] = useState('');
  const [bought, setBought] = useState<LabelView | null>(null);
  const [payWith, setPayWith] = useState<PaymentChoice>('card');
  const [version, setVersion] = useState(0);
  const canBuy = Boolean(user) && !quoteOnly;

  const quote = useAction(async () => {
    setBought(null);
    const body = await api.post<{ quotes: Quote[] }>(
      '/labels/quote',
      { fromZip: from.zip.trim(), toZip: to.zip.trim(), weightOz: Number(weightOz) },
      false,
    );
    setQuotes(body.quotes);
    setService(body.quotes[0]?.service ?? '');
  });
  const buy = useAction(async () => {
    const label = await api.post<LabelView>('/labels', {
      from: cleanAddress(from),
      to: cleanAddress(to),
      weightOz: Number(weightOz),
      service,
      payment: paymentBody(payWith),
    });
    setBought(label);
    setQuotes(null);
    setVersion((v) => v + 1);
  });

  return (
    <>
      <PageTitle title={canBuy ? 'Labels' : 'Prices'}>
        {canBuy ? 'Shipping labels' : 'Compare shipping prices'}
      </PageTitle>
      {bought ? (
        <Success>
          Label bought: tracking number <strong className="mono">{bought.trackingNumber}</strong> (
          {money(bought.priceCents)}). Download its PDF below and attach it to the parcel.
        </Success>
      ) : null}
      <div className="grid">
        <section className="panel" aria-labelledby="quote-title">
          <h2 id="quote-title">{canBuy ? 'Buy a label' : 'Get a quote'}</h2>
          <ErrorSummary error={quote.error ?? buy.error} />
          <Form onSubmit={quote.run} label="Quote">
            {canBuy ? (
              <>
                <AddressFields legend="From" value={from} onChange={setFrom} nameRequired />
                <AddressFields legend="To" value={to} onChange={setTo} nameRequired />
              </>
            ) : (
              <div className="row">
                <Field
                  label="From ZIP code"
                  value={from.zip}
                  onChange={(e) => setFrom({ ...from, zip: e.target.value })}
                  inputMode="numeric"
                  required
                />
                <Field
                  label="To ZIP code"
                  value={to.zip}
                  onChange={(e) => setTo({ ...to, zip: e.target.value })}
                  inputMode="numeric"
                  required
                />
              </div>
            )}
            <Field
              label="Weight (ounces)"
              type="number"
              min={1}
              max={1120}
              step="any"
              value={weightOz}
              onChange={(e) => setWeightOz(e.target.value)}
              required
            />
            <button type="submit" disabled={quote.busy}>
              Get prices
            </button>
          </Form>
          {quotes ? (
            <Form onSubmit={buy.run} label="Choose a service">
              <fieldset>
                <legend>Service</legend>
                {quotes.map((q) => (
                  <label key={q.service} className="choice">
                    <input
                      type="radio"
                      name="service"
                      value={q.service}
                      checked={service === q.service}
                      onChange={() => setService(q.service)}
                      disabled={!canBuy}
                    />
                    <span>
                      <strong>{humanize(q.service)}</strong> {money(q.priceCents)} · {q.deliveryDays} day(s) · zone{' '}
                      {q.zone}
                    </span>
                  </label>
                ))}
              </fieldset>
              {canBuy ? (
                <>
                  <PaymentSelect value={payWith} onChange={setPayWith} />
                  <button type="submit" className="primary" disabled={buy.busy || !service}>
                    Buy label
                  </button>
                </>
              ) : user ? (
                <p>
                  <Link to="/labels">Buy and print a label</Link> with these prices on your Labels page.
                </p>
              ) : (
                <p>
                  <Link to="/login?next=/labels">Log in</Link> to buy and print a label.
                </p>
              )}
            </Form>
          ) : null}
        </section>
        {canBuy ? <LabelList version={version} /> : null}
      </div>
    </>
  );
}
