import { PACKAGE_LOCATIONS } from '@app/contracts/shipping/pickup-options';
import { useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../api/api-client';
import {
  AddressFields,
  cleanAddress,
  EMPTY_ADDRESS,
  formatAddress,
  type AddressValue,
} from '../components/address-fields';
import { ErrorSummary, Field, Form, Loading, PageTitle, Select, Success, useAction, useLoad } from '../components/ui';
import { calendarDate, humanize } from '../lib/format';
import { PickupCalendar } from '../components/pickup-calendar';
import { bookablePickupDates } from '@app/contracts/calendar/delivery-days';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ApiSchemas } from '../api/types';

type Packages = Record<
  'priorityExpress' | 'priority' | 'groundAdvantage' | 'returns' | 'international' | 'other',
  number
>;

type PickupView = ApiSchemas['PickupView'];

const PACKAGE_KINDS: (keyof Packages)[] = [
  'priorityExpress',
  'priority',
  'groundAdvantage',
  'returns',
  'international',
  'other',
];

const NO_PACKAGES: Packages = {
  priorityExpress: 0,
  priority: 0,
  groundAdvantage: 0,
  returns: 0,
  international: 0,
  other: 0,
};

function packageCount(packages: Packages, t: TFunction): string {
  const total = PACKAGE_KINDS.reduce((sum, key) => sum + (packages[key] ?? 0), 0);
  return t('pickups.packageCount', { count: total });
}

function PackageCounts({ value, onChange }: { value: Packages; onChange: (packages: Packages) => void }) {
  const { t } = useTranslation();
  return (
    <fieldset>
      <legend>{t('pickups.packages')}</legend>
      <div className="counts">
        {PACKAGE_KINDS.map((key) => (
          <Field
            key={key}
            label={t(`pickups.kinds.${key}`)}
            type="number"
            min={0}
            max={999}
            required
            value={String(value[key])}
            onChange={(e) => onChange({ ...value, [key]: Math.max(0, Math.trunc(Number(e.target.value) || 0)) })}
          />
        ))}
      </div>
    </fieldset>
  );
}

function LocationSelect({ value, onChange }: { value: string; onChange: (location: string) => void }) {
  const { t } = useTranslation();
  return (
    <Select
      label={t('pickups.where')}
      value={value}
      onChange={onChange}
      options={PACKAGE_LOCATIONS.map((l) => ({ value: l, label: t(`pickups.locations.${l}`) }))}
    />
  );
}

interface PickupDetails {
  packageLocation: string;
  packages: Packages;
  weight: string;
  instructions: string;
}

/** Where the packages are, how many, their weight and the carrier's instructions: shared by scheduling and changing. */
function PickupDetailsFields({
  value,
  onChange,
}: {
  value: PickupDetails;
  onChange: (change: Partial<PickupDetails>) => void;
}) {
  const { t } = useTranslation();
  const other = value.packageLocation === 'other';
  return (
    <>
      <LocationSelect value={value.packageLocation} onChange={(packageLocation) => onChange({ packageLocation })} />
      <PackageCounts value={value.packages} onChange={(packages) => onChange({ packages })} />
      <Field
        label={t('pickups.weight')}
        type="number"
        min={0.1}
        step="any"
        value={value.weight}
        onChange={(e) => onChange({ weight: e.target.value })}
        required
      />
      <Field
        label={t('pickups.instructions')}
        value={value.instructions}
        onChange={(e) => onChange({ instructions: e.target.value })}
        maxLength={500}
        hint={other ? t('pickups.instructionsRequired') : undefined}
        required={other}
      />
    </>
  );
}

function PickupItem({
  pickup,
  now,
  dates,
  onChanged,
}: {
  pickup: PickupView;
  now: Date;
  dates: string[];
  onChanged: (message: string) => void;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [date, setDate] = useState(dates.includes(pickup.date) ? pickup.date : (dates[0] ?? ''));
  const [details, setDetails] = useState<PickupDetails>({
    packageLocation: pickup.packageLocation,
    packages: { ...NO_PACKAGES, ...pickup.packages },
    weight: String(pickup.estimatedWeightLb),
    instructions: pickup.instructions ?? '',
  });
  const { packageLocation, packages, weight, instructions } = details;
  const changeButton = useRef<HTMLButtonElement>(null);
  const form = useRef<HTMLDivElement>(null);
  const [returnFocus, setReturnFocus] = useState(false);
  // Keyboard focus follows what appears: into the form when it opens, back to Change when it closes.
  useEffect(() => {
    // The calendar is entered on its chosen day, as Tab would.
    const first = () =>
      form.current?.querySelector<HTMLElement>('input[type="radio"]:checked') ??
      form.current?.querySelector<HTMLElement>('select, input:enabled');
    if (editing) first()?.focus();
    else if (returnFocus) changeButton.current?.focus();
  }, [editing, returnFocus]);
  const close = () => {
    setReturnFocus(true);
    setEditing(false);
  };
  const change = useAction(async () => {
    const changes: Record<string, unknown> = {};
    if (date !== pickup.date) changes.date = date;
    if (packageLocation !== pickup.packageLocation) changes.packageLocation = packageLocation;
    if (PACKAGE_KINDS.some((k) => packages[k] !== pickup.packages[k])) changes.packages = packages;
    if (Number(weight) !== pickup.estimatedWeightLb) changes.estimatedWeightLb = Number(weight);
    // An emptied field clears the instructions (null), as the API takes it.
    if (instructions.trim() !== (pickup.instructions ?? '')) changes.instructions = instructions.trim() || null;
    if (Object.keys(changes).length === 0) {
      close();
      return;
    }
    await api.patch(`/pickups/${pickup.confirmationNumber}`, changes);
    onChanged(
      changes.date
        ? t('pickups.moved', { confirmationNumber: pickup.confirmationNumber, date: calendarDate(date) })
        : t('pickups.changed', { confirmationNumber: pickup.confirmationNumber }),
    );
  });
  const cancel = useAction(async () => {
    await api.delete(`/pickups/${pickup.confirmationNumber}`);
    onChanged(t('pickups.cancelled', { confirmationNumber: pickup.confirmationNumber }));
  });
  const active = pickup.status === 'scheduled';
  return (
    <li>
      <div>
        <strong className="mono">{pickup.confirmationNumber}</strong> ·{' '}
        <span className="badge">{t(`pickups.status.${pickup.status}`, { defaultValue: humanize(pickup.status) })}</span>
        <div>{calendarDate(pickup.date)}</div>
        <div className="muted">
          {formatAddress(pickup.address)} ·{' '}
          {t(`pickups.locations.${pickup.packageLocation}`, { defaultValue: humanize(pickup.packageLocation) })}
        </div>
        <div className="muted">
          {packageCount(pickup.packages, t)} · {t('pickups.pounds', { weight: pickup.estimatedWeightLb })}
          {pickup.instructions ? ` · “${pickup.instructions}”` : ''}
        </div>
        <ErrorSummary error={change.error ?? cancel.error} />
        {editing ? (
          <div ref={form}>
            <Form
              onSubmit={change.run}
              label={t('pickups.changeOf', { confirmationNumber: pickup.confirmationNumber })}
            >
              <PickupCalendar legend={t('pickups.newDate')} value={date} onChange={setDate} now={now} />
              <PickupDetailsFields
                value={details}
                onChange={(change) => setDetails((current) => ({ ...current, ...change }))}
              />
              <div className="actions">
                <button type="submit" className="primary" disabled={change.busy}>
                  {t('pickups.save')}
                </button>
                <button type="button" onClick={close}>
                  {t('pickups.keep')}
                </button>
              </div>
            </Form>
          </div>
        ) : null}
      </div>
      {active && !editing ? (
        <div className="actions">
          <button
            type="button"
            ref={changeButton}
            onClick={() => setEditing(true)}
            aria-label={t('pickups.changeOf', { confirmationNumber: pickup.confirmationNumber })}
          >
            {t('pickups.change')}
          </button>
          <button
            type="button"
            className="danger"
            onClick={() => void cancel.run()}
            aria-label={t('pickups.cancelOf', { confirmationNumber: pickup.confirmationNumber })}
          >
            {t('pickups.cancel')}
          </button>
        </div>
      ) : null}
    </li>
  );
}

export function PickupsPage() {
  const { t } = useTranslation();
  const now = useMemo(() => new Date(), []);
  const dates = useMemo(() => bookablePickupDates(now), [now]);
  const [address, setAddress] = useState<AddressValue>(EMPTY_ADDRESS);
  const [date, setDate] = useState(dates[0] ?? '');
  const [details, setDetails] = useState<PickupDetails>({
    packageLocation: 'front_door',
    packages: { ...NO_PACKAGES, priority: 1 },
    weight: '2',
    instructions: '',
  });
  const { packageLocation, packages, weight, instructions } = details;
  // The carrier needs a contact: the account's email unless the person types another.
  const me = useLoad(() => api.get<{ email: string; phone?: string }>('/me'));
  const [typedEmail, setEmail] = useState<string | null>(null);
  const email = typedEmail ?? me.data?.email ?? '';
  const [notice, setNotice] = useState<string | null>(null);
  const list = useLoad(() => api.get<{ items: PickupView[] }>('/pickups?limit=50'));
  // A change or a cancellation replaces the item and its buttons: the keyboard goes to the list's heading.
  const listTitle = useRef<HTMLHeadingElement>(null);

  const schedule = useAction(async () => {
    setNotice(null);
    const created = await api.post<PickupView>('/pickups', {
      address: cleanAddress(address),
      date,
      packageLocation,
      packages,
      estimatedWeightLb: Number(weight),
      ...(instructions.trim() ? { instructions: instructions.trim() } : {}),
      contact: { email: email.trim() },
    });
    setNotice(
      t('pickups.scheduled', { date: calendarDate(created.date), confirmationNumber: created.confirmationNumber }),
    );
    list.reload();
  });

  return (
    <>
      <PageTitle title={t('pickups.title')}>{t('pickups.heading')}</PageTitle>
      {notice ? <Success>{notice}</Success> : null}
      <div className="grid">
        <section className="panel" aria-labelledby="schedule-title">
          <h2 id="schedule-title">{t('pickups.schedule')}</h2>
          <ErrorSummary error={schedule.error} title={t('pickups.scheduleFailed')} />
          <Form onSubmit={schedule.run} label={t('pickups.schedule')} error={schedule.error}>
            <AddressFields
              legend={t('pickups.address')}
              value={address}
              onChange={setAddress}
              nameRequired
              field="address"
            />
            <PickupCalendar legend={t('pickups.date')} value={date} onChange={setDate} now={now} />
            <p className="hint">{t('pickups.days')}</p>
            <PickupDetailsFields
              value={details}
              onChange={(change) => setDetails((current) => ({ ...current, ...change }))}
            />
            <Field
              label={t('pickups.email')}
              type="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              name="contact.email"
              autoComplete="email"
              required
            />
            <button type="submit" className="primary" disabled={schedule.busy || !date}>
              {t('pickups.submit')}
            </button>
          </Form>
        </section>
        <section className="panel" aria-labelledby="pickups-title">
          <h2 id="pickups-title" ref={listTitle} tabIndex={-1}>
            {t('pickups.yours')}
          </h2>
          <ErrorSummary error={list.error} />
          {list.loading ? <Loading what={t('pickups.loading')} /> : null}
          {list.data && list.data.items.length === 0 ? <p className="muted">{t('pickups.none')}</p> : null}
          <ul className="item-list">
            {list.data?.items.map((p) => (
              <PickupItem
                key={JSON.stringify(p)}
                pickup={p}
                now={now}
                dates={dates}
                onChanged={(message) => {
                  setNotice(message);
                  list.reload();
                  listTitle.current?.focus();
                }}
              />
            ))}
          </ul>
        </section>
      </div>
    </>
  );
}
