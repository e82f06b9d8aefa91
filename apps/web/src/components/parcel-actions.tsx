import {
  HOLD_EXTENSION_MAX_DAYS,
  INTERCEPT_ACTIONS,
  REDELIVERY_LOCATIONS,
} from '@app/contracts/delivery/delivery-requests';
import { useId, useState } from 'react';
import { api } from '../api/api-client';
import { ApiError } from '../api/api-error';
import { calendarDate, dateTime, humanize } from '../lib/format';
import { AddressFields, cleanAddress, EMPTY_ADDRESS, type AddressValue } from './address-fields';
import { ErrorSummary, Field, Form, Select, Success, useAction, useLoad } from './ui';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ApiSchemas } from '../api/types';

/** What `GET /parcels/:trackingNumber/options` answers (the server decides; this page only shows it). */
type ActionOption = ApiSchemas['ActionOptionView'];

export type ParcelOptionsView = ApiSchemas['ParcelOptions'];

/** What each action's form gets: the parcel, what the server allows of that action, and where to say it is done. */
interface ActionFormProps {
  trackingNumber: string;
  option: ActionOption;
  done: (message: string) => void;
}

const LOCATIONS = new Set<string>(REDELIVERY_LOCATIONS);
const ACTIONS = new Set<string>(INTERCEPT_ACTIONS);
const STATUSES = new Set(['scheduled', 'cancelled', 'requested', 'succeeded', 'failed']);

/** A value of a finite list in the page's language; one the page does not know yet as the API writes it. */
function locationName(value: string, t: TFunction): string {
  return LOCATIONS.has(value) ? t(`parcelActions.locations.${value}`) : humanize(value);
}
function interceptName(value: string, t: TFunction): string {
  return ACTIONS.has(value) ? t(`parcelActions.intercept_${value}`) : humanize(value);
}
function statusName(value: string, t: TFunction): string {
  return STATUSES.has(value) ? t(`parcelActions.status_${value}`) : humanize(value);
}

function LocationSelect({ value, onChange, label }: { value: string; onChange: (v: string) => void; label: string }) {
  const { t } = useTranslation();
  return (
    <Select
      label={label}
      value={value}
      onChange={onChange}
      options={REDELIVERY_LOCATIONS.map((l) => ({ value: l, label: locationName(l, t) }))}
    />
  );
}

function TextArea({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        <span className="optional">{t('common.optional')}</span>
      </label>
      <textarea id={id} value={value} maxLength={500} rows={2} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

function RedeliveryForm({ trackingNumber, option, done }: ActionFormProps) {
  const { t } = useTranslation();
  const dates = option.dates ?? [];
  const [date, setDate] = useState(dates[0] ?? '');
  const [where, setWhere] = useState<string>('front_door');
  const [instructions, setInstructions] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const book = useAction(async () => {
    const created = await api.post<{ confirmationNumber: string; date: string }>(
      `/parcels/${encodeURIComponent(trackingNumber)}/redelivery`,
      {
        date,
        where,
        ...(instructions.trim() ? { instructions: instructions.trim() } : {}),
        contact: { ...(email.trim() ? { email: email.trim() } : {}), ...(phone.trim() ? { phone: phone.trim() } : {}) },
      },
    );
    done(
      t('parcelActions.redeliveryBooked', {
        date: calendarDate(created.date),
        confirmationNumber: created.confirmationNumber,
      }),
    );
  });
  return (
    <Form onSubmit={book.run} label={t('parcelActions.redeliveryTitle')}>
      <h4>{t('parcelActions.redeliveryTitle')}</h4>
      <ErrorSummary error={book.error} />
      {/* Only the delivery days the server offers: the next ten, not past the hold. */}
      <Select
        label={t('parcelActions.redeliveryDate')}
        value={date}
        onChange={setDate}
        options={dates.map((d) => ({ value: d, label: calendarDate(d) }))}
      />
      <LocationSelect label={t('parcelActions.whereToLeave')} value={where} onChange={setWhere} />
      <TextArea label={t('parcelActions.carrierInstructions')} value={instructions} onChange={setInstructions} />
      <div className="row">
        <Field
          label={t('parcelActions.contactEmail')}
          type="email"
          maxLength={254}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          hint={t('parcelActions.contactHint')}
        />
        <Field
          label={t('parcelActions.contactPhone')}
          type="tel"
          maxLength={20}
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
        />
      </div>
      <button type="submit" disabled={book.busy}>
        {t('parcelActions.redeliverySubmit')}
      </button>
    </Form>
  );
}

function HoldExtensionForm({ trackingNumber, option, done }: ActionFormProps) {
  const { t } = useTranslation();
  const max = option.maxDays ?? HOLD_EXTENSION_MAX_DAYS;
  const [days, setDays] = useState(String(max));
  const extend = useAction(async () => {
    const result = await api.post<{ holdUntil: string }>(
      `/parcels/${encodeURIComponent(trackingNumber)}/hold-extension`,
      {
        days: Number(days),
      },
    );
    done(t('parcelActions.extended', { date: dateTime(result.holdUntil) }));
  });
  return (
    <Form onSubmit={extend.run} label={t('parcelActions.extendTitle')}>
      <h4>{t('parcelActions.extendTitle')}</h4>
      <ErrorSummary error={extend.error} />
      <Field
        label={t('parcelActions.extraDays')}
        type="number"
        min={1}
        max={max}
        required
        value={days}
        onChange={(e) => setDays(e.target.value)}
        hint={t('parcelActions.extendHint', { count: max })}
      />
      <button type="submit" disabled={extend.busy}>
        {t('parcelActions.extendSubmit')}
      </button>
    </Form>
  );
}

function InterceptForm({ trackingNumber, option, done }: ActionFormProps) {
  const { t } = useTranslation();
  const actions = option.actions ?? [...INTERCEPT_ACTIONS];
  const [action, setAction] = useState<string>(actions[0] ?? 'return_to_sender');
  const [address, setAddress] = useState<AddressValue>(EMPTY_ADDRESS);
  const intercept = useAction(async () => {
    const result = await api.post<{ interceptId: string }>(`/parcels/${encodeURIComponent(trackingNumber)}/intercept`, {
      action,
      ...(action === 'redirect' ? { address: cleanAddress(address) } : {}),
    });
    done(t('parcelActions.interceptRequested', { action: interceptName(action, t), reference: result.interceptId }));
  });
  return (
    <Form onSubmit={intercept.run} label={t('parcelActions.interceptTitle')}>
      <h4>{t('parcelActions.interceptTitle')}</h4>
      <ErrorSummary error={intercept.error} />
      <Select
        label={t('parcelActions.whatShouldHappen')}
        value={action}
        onChange={setAction}
        options={actions.map((a) => ({ value: a, label: interceptName(a, t) }))}
      />
      {action === 'redirect' ? (
        <AddressFields legend={t('parcelActions.newDestination')} value={address} onChange={setAddress} nameRequired />
      ) : null}
      <button type="submit" disabled={intercept.busy}>
        {t('parcelActions.interceptSubmit')}
      </button>
    </Form>
  );
}

function InstructionsForm({
  trackingNumber,
  current,
  done,
}: {
  trackingNumber: string;
  current?: ParcelOptionsView['deliveryInstructions'];
  done: (m: string) => void;
}) {
  const { t } = useTranslation();
  const [where, setWhere] = useState<string>(current?.where ?? 'front_door');
  const [instructions, setInstructions] = useState(current?.instructions ?? '');
  const save = useAction(async () => {
    await api.put(`/parcels/${encodeURIComponent(trackingNumber)}/delivery-instructions`, {
      where,
      ...(instructions.trim() ? { instructions: instructions.trim() } : {}),
    });
    done(t('parcelActions.instructionsSaved', { where: locationName(where, t) }));
  });
  return (
    <Form onSubmit={save.run} label={t('parcelActions.instructionsTitle')}>
      <h4>{t('parcelActions.instructionsTitle')}</h4>
      <ErrorSummary error={save.error} />
      <LocationSelect label={t('parcelActions.leaveAt')} value={where} onChange={setWhere} />
      <TextArea label={t('parcelActions.carrierNotes')} value={instructions} onChange={setInstructions} />
      <button type="submit" disabled={save.busy}>
        {t('parcelActions.instructionsSubmit')}
      </button>
    </Form>
  );
}

function CancelRedelivery({ confirmationNumber, done }: { confirmationNumber: string; done: (m: string) => void }) {
  const { t } = useTranslation();
  const cancel = useAction(async () => {
    await api.delete(`/redeliveries/${encodeURIComponent(confirmationNumber)}`);
    done(t('parcelActions.redeliveryCancelled', { confirmationNumber }));
  });
  return (
    <>
      <ErrorSummary error={cancel.error} />
      <button type="button" disabled={cancel.busy} onClick={() => void cancel.run()}>
        {t('parcelActions.cancelRedelivery', { confirmationNumber })}
      </button>
    </>
  );
}

/**
 * The delivery actions a signed-in user may take on a parcel, exactly as `options` allows them.
 * Nothing shows for someone who is neither its recipient nor its shipper (the API answers 404).
 */
export function ParcelActions({ trackingNumber }: { trackingNumber: string }) {
  const { t } = useTranslation();
  const options = useLoad(async () => {
    try {
      return await api.get<ParcelOptionsView>(`/parcels/${encodeURIComponent(trackingNumber)}/options`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  }, [trackingNumber]);
  const [notice, setNotice] = useState<string | null>(null);
  const done = (message: string) => {
    setNotice(message);
    options.reload();
  };
  const view = options.data;
  if (options.error) return <ErrorSummary error={options.error} />;
  if (!view) return null;
  const { actions } = view;
  const unavailable = (Object.keys(actions) as (keyof ParcelOptionsView['actions'])[]).filter(
    (k) => !actions[k].allowed,
  );
  const titleId = `actions-${trackingNumber}`;
  return (
    <section className="parcel-actions" aria-labelledby={titleId}>
      <h3 id={titleId}>{t('parcelActions.title')}</h3>
      {notice ? <Success>{notice}</Success> : null}
      <dl className="facts">
        <dt>{t('parcelActions.youAre')}</dt>
        <dd>
          {view.roles.includes('recipient') && view.roles.includes('shipper')
            ? t('parcelActions.recipientAndShipper')
            : view.roles.includes('recipient')
              ? t('parcelActions.recipient')
              : t('parcelActions.shipper')}
        </dd>
        {view.redelivery ? (
          <>
            <dt>{t('parcelActions.action_redelivery')}</dt>
            <dd>
              {calendarDate(view.redelivery.date)} · {statusName(view.redelivery.status, t)} ·{' '}
              <span className="mono">{view.redelivery.confirmationNumber}</span>
            </dd>
          </>
        ) : null}
        {view.intercept ? (
          <>
            <dt>{t('parcelActions.action_intercept')}</dt>
            <dd>
              {t('parcelActions.interceptState', {
                action: interceptName(view.intercept.action, t),
                status: statusName(view.intercept.status, t),
              })}
            </dd>
          </>
        ) : null}
        {view.deliveryInstructions ? (
          <>
            <dt>{t('parcelActions.action_deliveryInstructions')}</dt>
            <dd>
              {locationName(view.deliveryInstructions.where, t)}
              {view.deliveryInstructions.instructions ? ` · ${view.deliveryInstructions.instructions}` : ''}
              {view.deliveryInstructions.scope === 'address' ? ` ${t('parcelActions.addressDefault')}` : ''}
            </dd>
          </>
        ) : null}
      </dl>
      {view.redelivery?.active && view.redelivery.status === 'scheduled' ? (
        <CancelRedelivery confirmationNumber={view.redelivery.confirmationNumber} done={done} />
      ) : null}
      {actions.redelivery.allowed ? (
        <RedeliveryForm trackingNumber={trackingNumber} option={actions.redelivery} done={done} />
      ) : null}
      {actions.holdExtension.allowed ? (
        <HoldExtensionForm trackingNumber={trackingNumber} option={actions.holdExtension} done={done} />
      ) : null}
      {actions.intercept.allowed ? (
        <InterceptForm trackingNumber={trackingNumber} option={actions.intercept} done={done} />
      ) : null}
      {actions.deliveryInstructions.allowed ? (
        <InstructionsForm trackingNumber={trackingNumber} current={view.deliveryInstructions} done={done} />
      ) : null}
      {unavailable.length > 0 ? (
        <details>
          <summary>{t('parcelActions.notAvailable')}</summary>
          <ul>
            {unavailable.map((k) => (
              <li key={k}>
                <strong>{t('parcelActions.actionLabel', { action: t(`parcelActions.action_${k}`) })}</strong>{' '}
                {actions[k].reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {view.requests.length > 0 ? (
        <>
          <h4>{t('parcelActions.requests')}</h4>
          <ul className="item-list" aria-label={t('parcelActions.requestsLabel')}>
            {view.requests.map((r) => (
              <li key={r.id}>
                <div>
                  {r.description}
                  <div className="muted">
                    {statusName(r.status, t)} · {dateTime(r.at)}
                  </div>
                </div>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
