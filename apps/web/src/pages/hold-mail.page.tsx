import { addDays, centralDate, deliveryDaysAfter } from '@app/contracts/calendar/delivery-days';
import {
  HOLD_MAIL_BOOKING_WINDOW_DAYS,
  HOLD_MAIL_DELIVERY,
  HOLD_MAIL_MAX_DAYS,
  HOLD_MAIL_MIN_DAYS,
} from '@app/contracts/delivery/delivery-requests';
import { useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/api-client';
import { formatAddress } from '../components/address-fields';
import { ErrorSummary, Form, Loading, PageTitle, Select, Success, useAction, useLoad } from '../components/ui';
import { calendarDate, humanize } from '../lib/format';
import { Trans, useTranslation } from 'react-i18next';
import type { AddressView } from './profile.page';
import type { ApiSchemas } from '../api/types';

export type HoldMailView = ApiSchemas['HoldMailView'];

const DELIVERY = new Set<string>(HOLD_MAIL_DELIVERY);
const STATUSES = new Set(['scheduled', 'cancelled']);

/** The start days the server accepts: delivery days from tomorrow, at most 30 days ahead (Central time). */
function startDates(now: Date): string[] {
  const today = centralDate(now);
  const last = addDays(today, HOLD_MAIL_BOOKING_WINDOW_DAYS);
  return deliveryDaysAfter(today, HOLD_MAIL_BOOKING_WINDOW_DAYS).filter((d) => d <= last);
}

/** The end days for a start: 3 to 30 days long, both ends counted. */
function endDates(start: string): string[] {
  if (!start) return [];
  const dates: string[] = [];
  for (let days = HOLD_MAIL_MIN_DAYS; days <= HOLD_MAIL_MAX_DAYS; days++) dates.push(addDays(start, days - 1));
  return dates;
}

function HoldList({
  holds,
  addresses,
  onChange,
}: {
  holds: HoldMailView[];
  addresses: AddressView[];
  onChange: (m: string) => void;
}) {
  const { t } = useTranslation();
  const title = useRef<HTMLHeadingElement>(null);
  const cancel = useAction(async (confirmationNumber: string) => {
    await api.delete(`/hold-mail/${encodeURIComponent(confirmationNumber)}`);
    // The focused button leaves with its row: keep the keyboard in this panel.
    title.current?.focus();
    onChange(t('holdMail.cancelled', { confirmationNumber }));
  });
  const today = centralDate(new Date());
  return (
    <section className="panel" aria-labelledby="holds-title">
      <h2 id="holds-title" ref={title} tabIndex={-1}>
        {t('holdMail.yours')}
      </h2>
      <ErrorSummary error={cancel.error} />
      {holds.length === 0 ? <p className="muted">{t('holdMail.none')}</p> : null}
      <ul className="item-list">
        {holds.map((h) => (
          <li key={h.confirmationNumber}>
            <div>
              <span className="mono">{h.confirmationNumber}</span> ·{' '}
              <span>{t('holdMail.fromTo', { from: calendarDate(h.startDate), to: calendarDate(h.endDate) })}</span>
              <div className="muted">
                {formatAddress(addresses.find((a) => a.id === h.addressId))} ·{' '}
                {DELIVERY.has(h.delivery) ? t(`holdMail.delivery_${h.delivery}`) : humanize(h.delivery)} ·{' '}
                {h.inForce
                  ? t('holdMail.holdingNow')
                  : STATUSES.has(h.status)
                    ? t(`holdMail.status_${h.status}`)
                    : humanize(h.status)}
              </div>
            </div>
            {h.status === 'scheduled' && h.startDate > today ? (
              <button
                type="button"
                disabled={cancel.busy}
                onClick={() => void cancel.run(h.confirmationNumber)}
                aria-label={t('holdMail.cancelOf', { confirmationNumber: h.confirmationNumber })}
              >
                {t('holdMail.cancel')}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function HoldMailPage() {
  const { t } = useTranslation();
  const addresses = useLoad(() => api.get<{ items: AddressView[] }>('/me/addresses'));
  const holds = useLoad(() => api.get<{ items: HoldMailView[] }>('/hold-mail?limit=50'));
  const verified = addresses.data?.items.filter((a) => a.verified) ?? [];
  const starts = useMemo(() => startDates(new Date()), []);
  const [addressId, setAddressId] = useState('');
  const [startDate, setStartDate] = useState('');
  const [endDate, setEndDate] = useState('');
  const [delivery, setDelivery] = useState<string>(HOLD_MAIL_DELIVERY[0]);
  const [notice, setNotice] = useState<string | null>(null);
  const start = startDate || starts[0] || '';
  const ends = endDates(start);
  const end = ends.includes(endDate) ? endDate : (ends[4] ?? ends[0] ?? '');
  const address = addressId || verified[0]?.id || '';
  const book = useAction(async () => {
    const created = await api.post<HoldMailView>('/hold-mail', {
      addressId: address,
      startDate: start,
      endDate: end,
      delivery,
    });
    setNotice(
      t('holdMail.booked', {
        from: calendarDate(created.startDate),
        to: calendarDate(created.endDate),
        confirmationNumber: created.confirmationNumber,
      }),
    );
    holds.reload();
  });
  return (
    <>
      <PageTitle title={t('holdMail.title')}>{t('holdMail.title')}</PageTitle>
      <p>{t('holdMail.intro', { min: HOLD_MAIL_MIN_DAYS, count: HOLD_MAIL_MAX_DAYS })}</p>
      {notice ? <Success>{notice}</Success> : null}
      <ErrorSummary error={addresses.error ?? holds.error} />
      <div className="grid">
        <section className="panel" aria-labelledby="new-hold-title">
          <h2 id="new-hold-title">{t('holdMail.form')}</h2>
          {addresses.loading ? <Loading what={t('holdMail.loadingAddresses')} /> : null}
          {addresses.data && verified.length === 0 ? (
            <p className="muted">
              <Trans i18nKey="holdMail.needsVerified" components={{ go: <Link to="/profile" /> }} />
            </p>
          ) : null}
          {verified.length > 0 ? (
            <Form onSubmit={book.run} label={t('holdMail.form')}>
              <ErrorSummary error={book.error} />
              <Select
                label={t('holdMail.address')}
                value={address}
                onChange={setAddressId}
                options={verified.map((a) => ({ value: a.id, label: formatAddress(a) }))}
              />
              <div className="row">
                <Select
                  label={t('holdMail.firstDay')}
                  value={start}
                  onChange={setStartDate}
                  options={starts.map((d) => ({ value: d, label: calendarDate(d) }))}
                />
                <Select
                  label={t('holdMail.lastDay')}
                  value={end}
                  onChange={setEndDate}
                  options={ends.map((d) => ({ value: d, label: calendarDate(d) }))}
                />
              </div>
              <Select
                label={t('holdMail.whenEnds')}
                value={delivery}
                onChange={setDelivery}
                options={HOLD_MAIL_DELIVERY.map((d) => ({ value: d, label: t(`holdMail.deliveryChoice_${d}`) }))}
              />
              <button type="submit" disabled={book.busy}>
                {t('holdMail.submit')}
              </button>
            </Form>
          ) : null}
        </section>
        {holds.data ? (
          <HoldList
            holds={holds.data.items}
            addresses={addresses.data?.items ?? []}
            onChange={(m) => {
              setNotice(m);
              holds.reload();
            }}
          />
        ) : null}
      </div>
    </>
  );
}
