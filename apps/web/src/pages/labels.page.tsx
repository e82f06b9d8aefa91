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
import { Trans, useTranslation } from 'react-i18next';
import type { ApiSchemas } from '../api/types';

type Quote = ApiSchemas['RateView'];

export type LabelView = ApiSchemas['LabelView'];

function LabelList({ version }: { version: number }) {
  const { t } = useTranslation();
  const labels = useLoad(() => api.get<{ items: LabelView[] }>('/labels?limit=50'), [version]);
  const [notice, setNotice] = useState<string | null>(null);
  const act = useAction(async (label: LabelView) => {
    setNotice(null);
    await api.post(`/labels/${encodeURIComponent(label.labelId)}/refund`);
    const values = { trackingNumber: label.trackingNumber, price: money(label.priceCents) };
    setNotice(
      label.paidBy === 'balance'
        ? t('labels.refundedToBalance', values)
        : label.paidBy === 'card'
          ? t('labels.refundedToCard', values)
          : t('labels.refundedToYou', values),
    );
    labels.reload();
  });
  return (
    <section className="panel" aria-labelledby="labels-title">
      <h2 id="labels-title">{t('labels.yours')}</h2>
      <ErrorSummary error={labels.error ?? act.error} />
      {notice ? <Success>{notice}</Success> : null}
      {labels.loading ? <Loading what={t('labels.loading')} /> : null}
      {labels.data && labels.data.items.length === 0 ? <p className="muted">{t('labels.none')}</p> : null}
      <ul className="item-list">
        {labels.data?.items.map((l) => (
          <li key={l.labelId}>
            <div>
              <Link className="mono" to={`/track?numbers=${l.trackingNumber}`}>
                {l.trackingNumber}
              </Link>
              <div>
                {t(`service.${l.service}`, { defaultValue: humanize(l.service) })} · {money(l.priceCents)} ·{' '}
                <span className="badge">
                  {t(`labels.labelStatus.${l.status}`, { defaultValue: humanize(l.status) })}
                </span>
                <ReturnChargeBadge label={l} />
              </div>
              <div className="muted">
                {t('labels.toAddress', { address: formatAddress(l.to), date: dateTime(l.createdAt) })}
              </div>
            </div>
            <div className="actions">
              <LabelDownloads label={l} />
              {l.status === 'active' ? <ReturnLabelControl label={l} onCreated={labels.reload} /> : null}
              {l.status === 'active' ? (
                <button
                  type="button"
                  onClick={() => void act.run(l)}
                  aria-label={t('labels.refundOf', { trackingNumber: l.trackingNumber })}
                >
                  {t('labels.refund')}
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
  const { t } = useTranslation();
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
      <PageTitle title={canBuy ? t('labels.title') : t('labels.pricesTitle')}>
        {canBuy ? t('labels.heading') : t('labels.pricesHeading')}
      </PageTitle>
      {bought ? (
        // The quote form and its Buy button are gone: the keyboard lands on the result.
        <Success takeFocus>
          <Trans
            i18nKey="labels.bought"
            values={{ trackingNumber: bought.trackingNumber, price: money(bought.priceCents) }}
            components={{ tn: <strong className="mono" /> }}
          />
        </Success>
      ) : null}
      <div className="grid">
        <section className="panel" aria-labelledby="quote-title">
          <h2 id="quote-title">{canBuy ? t('labels.buy') : t('labels.quote')}</h2>
          <ErrorSummary error={quote.error ?? buy.error} />
          <Form onSubmit={quote.run} label={t('labels.quoteForm')} error={quote.error ?? buy.error}>
            {canBuy ? (
              <>
                <AddressFields legend={t('labels.from')} value={from} onChange={setFrom} nameRequired field="from" />
                <AddressFields legend={t('labels.to')} value={to} onChange={setTo} nameRequired field="to" />
              </>
            ) : (
              <div className="row">
                <Field
                  label={t('labels.fromZip')}
                  value={from.zip}
                  onChange={(e) => setFrom({ ...from, zip: e.target.value })}
                  name="fromZip"
                  inputMode="numeric"
                  required
                />
                <Field
                  label={t('labels.toZip')}
                  value={to.zip}
                  onChange={(e) => setTo({ ...to, zip: e.target.value })}
                  name="toZip"
                  inputMode="numeric"
                  required
                />
              </div>
            )}
            <Field
              label={t('labels.weight')}
              type="number"
              min={1}
              max={1120}
              step="any"
              value={weightOz}
              onChange={(e) => setWeightOz(e.target.value)}
              name="weightOz"
              required
            />
            <button type="submit" disabled={quote.busy}>
              {t('labels.getPrices')}
            </button>
          </Form>
          {quotes ? (
            <Form onSubmit={buy.run} label={t('labels.chooseService')}>
              <fieldset>
                <legend>{t('labels.service')}</legend>
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
                      <strong>{t(`service.${q.service}`, { defaultValue: humanize(q.service) })}</strong>{' '}
                      {t('labels.quoteLine', { price: money(q.priceCents), count: q.deliveryDays, zone: q.zone })}
                    </span>
                  </label>
                ))}
              </fieldset>
              {canBuy ? (
                <>
                  <PaymentSelect value={payWith} onChange={setPayWith} />
                  <button type="submit" className="primary" disabled={buy.busy || !service}>
                    {t('labels.buyLabel')}
                  </button>
                </>
              ) : user ? (
                <p>
                  <Trans i18nKey="labels.buyOnLabelsPage" components={{ go: <Link to="/labels" /> }} />
                </p>
              ) : (
                <p>
                  <Trans i18nKey="labels.logInToBuy" components={{ go: <Link to="/login?next=/labels" /> }} />
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
