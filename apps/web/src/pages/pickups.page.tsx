import { PACKAGE_LOCATIONS } from '@app/contracts/shipping/pickup-options';
import { useMemo, useState } from 'react';
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
import { bookablePickupDates } from '../lib/pickup-calendar';

type Packages = Record<
  'priorityExpress' | 'priority' | 'groundAdvantage' | 'returns' | 'international' | 'other',
  number
>;

interface PickupView {
  confirmationNumber: string;
  status: string;
  date: string;
  address: AddressValue;
  packageLocation: string;
  packages: Packages;
  estimatedWeightLb: number;
  instructions?: string;
}

const PACKAGE_KINDS: [keyof Packages, string][] = [
  ['priorityExpress', 'Priority Mail Express'],
  ['priority', 'Priority Mail'],
  ['groundAdvantage', 'Ground Advantage'],
  ['returns', 'Returns'],
  ['international', 'International'],
  ['other', 'Other'],
];

const NO_PACKAGES: Packages = {
  priorityExpress: 0,
  priority: 0,
  groundAdvantage: 0,
  returns: 0,
  international: 0,
  other: 0,
};

function DatePicker({
  value,
  onChange,
  dates,
  label = 'Pickup date',
}: {
  value: string;
  onChange: (d: string) => void;
  dates: string[];
  label?: string;
}) {
  return (
    <Select
      label={label}
      value={value}
      onChange={onChange}
      options={dates.map((d) => ({ value: d, label: calendarDate(d) }))}
    />
  );
}

function PickupItem({
  pickup,
  dates,
  onChanged,
}: {
  pickup: PickupView;
  dates: string[];
  onChanged: (message: string) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [date, setDate] = useState(dates.includes(pickup.date) ? pickup.date : (dates[0] ?? ''));
  const change = useAction(async () => {
    await api.patch(`/pickups/${pickup.confirmationNumber}`, { date });
    setEditing(false);
    onChanged(`Pickup ${pickup.confirmationNumber} moved to ${calendarDate(date)}.`);
  });
  const cancel = useAction(async () => {
    await api.delete(`/pickups/${pickup.confirmationNumber}`);
    onChanged(`Pickup ${pickup.confirmationNumber} cancelled.`);
  });
  const active = pickup.status === 'scheduled';
  return (
    <li>
      <div>
        <strong className="mono">{pickup.confirmationNumber}</strong> ·{' '}
        <span className="badge">{humanize(pickup.status)}</span>
        <div>{calendarDate(pickup.date)}</div>
        <div className="muted">
          {formatAddress(pickup.address)} · {humanize(pickup.packageLocation)}
        </div>
        <ErrorSummary error={change.error ?? cancel.error} />
        {editing ? (
          <Form onSubmit={change.run} label={`Change pickup ${pickup.confirmationNumber}`}>
            <DatePicker label="New date" value={date} onChange={setDate} dates={dates} />
            <div className="actions">
              <button type="submit" className="primary" disabled={change.busy}>
                Save date
              </button>
              <button type="button" onClick={() => setEditing(false)}>
                Keep the date
              </button>
            </div>
          </Form>
        ) : null}
      </div>
      {active && !editing ? (
        <div className="actions">
          <button
            type="button"
            onClick={() => setEditing(true)}
            aria-label={`Change pickup ${pickup.confirmationNumber}`}
          >
            Change
          </button>
          <button
            type="button"
            className="danger"
            onClick={() => void cancel.run()}
            aria-label={`Cancel pickup ${pickup.confirmationNumber}`}
          >
            Cancel pickup
          </button>
        </div>
      ) : null}
    </li>
  );
}

export function PickupsPage() {
  const dates = useMemo(() => bookablePickupDates(new Date()), []);
  const [address, setAddress] = useState<AddressValue>(EMPTY_ADDRESS);
  const [date, setDate] = useState(dates[0] ?? '');
  const [packageLocation, setPackageLocation] = useState<string>('front_door');
  const [packages, setPackages] = useState<Packages>({ ...NO_PACKAGES, priority: 1 });
  const [weight, setWeight] = useState('2');
  const [instructions, setInstructions] = useState('');
  // The carrier needs a contact: the account's email unless the person types another.
  const me = useLoad(() => api.get<{ email: string; phone?: string }>('/me'));
  const [typedEmail, setEmail] = useState<string | null>(null);
  const email = typedEmail ?? me.data?.email ?? '';
  const [notice, setNotice] = useState<string | null>(null);
  const list = useLoad(() => api.get<{ items: PickupView[] }>('/pickups?limit=50'));

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
    setNotice(`Pickup scheduled for ${calendarDate(created.date)}. Confirmation number ${created.confirmationNumber}.`);
    list.reload();
  });

  return (
    <>
      <PageTitle title="Pickups">Carrier pickups</PageTitle>
      {notice ? <Success>{notice}</Success> : null}
      <div className="grid">
        <section className="panel" aria-labelledby="schedule-title">
          <h2 id="schedule-title">Schedule a pickup</h2>
          <ErrorSummary error={schedule.error} title="We could not schedule the pickup" />
          <Form onSubmit={schedule.run} label="Schedule a pickup">
            <AddressFields legend="Pickup address" value={address} onChange={setAddress} nameRequired />
            <DatePicker value={date} onChange={setDate} dates={dates} />
            <p className="hint">Pickups run Monday to Saturday, except federal holidays.</p>
            <Select
              label="Where will the packages be?"
              value={packageLocation}
              onChange={setPackageLocation}
              options={PACKAGE_LOCATIONS.map((l) => ({ value: l, label: humanize(l) }))}
            />
            <fieldset>
              <legend>Number of packages</legend>
              <div className="counts">
                {PACKAGE_KINDS.map(([key, label]) => (
                  <Field
                    key={key}
                    label={label}
                    type="number"
                    min={0}
                    max={999}
                    required
                    value={String(packages[key])}
                    onChange={(e) =>
                      setPackages({ ...packages, [key]: Math.max(0, Math.trunc(Number(e.target.value) || 0)) })
                    }
                  />
                ))}
              </div>
            </fieldset>
            <Field
              label="Estimated total weight (lb)"
              type="number"
              min={0.1}
              step="any"
              value={weight}
              onChange={(e) => setWeight(e.target.value)}
              required
            />
            <Field
              label="Instructions for the carrier"
              value={instructions}
              onChange={(e) => setInstructions(e.target.value)}
              maxLength={500}
              hint={packageLocation === 'other' ? 'Required when the location is Other.' : undefined}
              required={packageLocation === 'other'}
            />
            <Field
              label="Email for the confirmation"
              type="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              autoComplete="email"
              required
            />
            <button type="submit" className="primary" disabled={schedule.busy || !date}>
              Schedule pickup
            </button>
          </Form>
        </section>
        <section className="panel" aria-labelledby="pickups-title">
          <h2 id="pickups-title">Your pickups</h2>
          <ErrorSummary error={list.error} />
          {list.loading ? <Loading what="pickups" /> : null}
          {list.data && list.data.items.length === 0 ? <p className="muted">No pickups scheduled.</p> : null}
          <ul className="item-list">
            {list.data?.items.map((p) => (
              <PickupItem
                key={`${p.confirmationNumber}-${p.status}-${p.date}`}
                pickup={p}
                dates={dates}
                onChanged={(message) => {
                  setNotice(message);
                  list.reload();
                }}
              />
            ))}
          </ul>
        </section>
      </div>
    </>
  );
}
