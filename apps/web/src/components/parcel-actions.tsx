import {
  HOLD_EXTENSION_MAX_DAYS,
  INTERCEPT_ACTIONS,
  REDELIVERY_LOCATIONS,
  type InterceptAction,
  type RedeliveryLocation,
} from '@app/contracts/delivery/delivery-requests';
import { useId, useState } from 'react';
import { api } from '../api/api-client';
import { ApiError } from '../api/api-error';
import { calendarDate, dateTime, humanize } from '../lib/format';
import { AddressFields, cleanAddress, EMPTY_ADDRESS, type AddressValue } from './address-fields';
import { ErrorSummary, Field, Form, Select, Success, useAction, useLoad } from './ui';

/** What `GET /parcels/:trackingNumber/options` answers (the server decides; this page only shows it). */
interface ActionOption {
  allowed: boolean;
  reason?: string;
  dates?: string[];
  locations?: RedeliveryLocation[];
  maxDays?: number;
  actions?: InterceptAction[];
}

export interface ParcelOptionsView {
  trackingNumber: string;
  roles: ('recipient' | 'shipper')[];
  holdUntil?: string;
  actions: {
    redelivery: ActionOption;
    holdExtension: ActionOption;
    intercept: ActionOption;
    deliveryInstructions: ActionOption;
  };
  redelivery?: { confirmationNumber: string; date: string; where: string; status: string; active: boolean };
  intercept?: { interceptId: string; action: string; status: string; reason?: string };
  deliveryInstructions?: { where: string; instructions?: string; scope: 'parcel' | 'address' };
  requests: { kind: string; id: string; at: string; description: string; status: string }[];
}

const ACTION_NAMES: Record<keyof ParcelOptionsView['actions'], string> = {
  redelivery: 'Redelivery',
  holdExtension: 'Hold extension',
  intercept: 'Intercept',
  deliveryInstructions: 'Delivery instructions',
};

function LocationSelect({ value, onChange, label }: { value: string; onChange: (v: string) => void; label: string }) {
  return (
    <Select
      label={label}
      value={value}
      onChange={onChange}
      options={REDELIVERY_LOCATIONS.map((l) => ({ value: l, label: humanize(l) }))}
    />
  );
}

function TextArea({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        <span className="optional"> (optional)</span>
      </label>
      <textarea id={id} value={value} maxLength={500} rows={2} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

function RedeliveryForm({
  trackingNumber,
  option,
  done,
}: {
  trackingNumber: string;
  option: ActionOption;
  done: (m: string) => void;
}) {
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
    done(`Redelivery booked for ${calendarDate(created.date)}. Confirmation number ${created.confirmationNumber}.`);
  });
  return (
    <Form onSubmit={book.run} label="Schedule a redelivery">
      <h4>Schedule a redelivery</h4>
      <ErrorSummary error={book.error} />
      {/* Only the delivery days the server offers: the next ten, not past the hold. */}
      <Select
        label="Redelivery date"
        value={date}
        onChange={setDate}
        options={dates.map((d) => ({ value: d, label: calendarDate(d) }))}
      />
      <LocationSelect label="Where to leave it" value={where} onChange={setWhere} />
      <TextArea label="Instructions for the carrier" value={instructions} onChange={setInstructions} />
      <div className="row">
        <Field
          label="Contact email"
          type="email"
          maxLength={254}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          hint="An email or a phone number, so the carrier can reach you."
        />
        <Field
          label="Contact phone"
          type="tel"
          maxLength={20}
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
        />
      </div>
      <button type="submit" disabled={book.busy}>
        Schedule redelivery
      </button>
    </Form>
  );
}

function HoldExtensionForm({
  trackingNumber,
  option,
  done,
}: {
  trackingNumber: string;
  option: ActionOption;
  done: (m: string) => void;
}) {
  const max = option.maxDays ?? HOLD_EXTENSION_MAX_DAYS;
  const [days, setDays] = useState(String(max));
  const extend = useAction(async () => {
    const result = await api.post<{ holdUntil: string }>(
      `/parcels/${encodeURIComponent(trackingNumber)}/hold-extension`,
      {
        days: Number(days),
      },
    );
    done(`The post office now keeps the parcel until ${dateTime(result.holdUntil)}.`);
  });
  return (
    <Form onSubmit={extend.run} label="Extend the hold">
      <h4>Extend the hold</h4>
      <ErrorSummary error={extend.error} />
      <Field
        label="Extra days"
        type="number"
        min={1}
        max={max}
        required
        value={days}
        onChange={(e) => setDays(e.target.value)}
        hint={`Once per parcel, up to ${max} days.`}
      />
      <button type="submit" disabled={extend.busy}>
        Extend hold
      </button>
    </Form>
  );
}

function InterceptForm({
  trackingNumber,
  option,
  done,
}: {
  trackingNumber: string;
  option: ActionOption;
  done: (m: string) => void;
}) {
  const actions = option.actions ?? [...INTERCEPT_ACTIONS];
  const [action, setAction] = useState<string>(actions[0] ?? 'return_to_sender');
  const [address, setAddress] = useState<AddressValue>(EMPTY_ADDRESS);
  const intercept = useAction(async () => {
    const result = await api.post<{ interceptId: string }>(`/parcels/${encodeURIComponent(trackingNumber)}/intercept`, {
      action,
      ...(action === 'redirect' ? { address: cleanAddress(address) } : {}),
    });
    done(`Intercept requested (${humanize(action)}). Reference ${result.interceptId}.`);
  });
  return (
    <Form onSubmit={intercept.run} label="Intercept the parcel">
      <h4>Intercept the parcel</h4>
      <ErrorSummary error={intercept.error} />
      <Select
        label="What should happen"
        value={action}
        onChange={setAction}
        options={actions.map((a) => ({ value: a, label: humanize(a) }))}
      />
      {action === 'redirect' ? (
        <AddressFields legend="New destination" value={address} onChange={setAddress} nameRequired />
      ) : null}
      <button type="submit" disabled={intercept.busy}>
        Request intercept
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
  const [where, setWhere] = useState<string>(current?.where ?? 'front_door');
  const [instructions, setInstructions] = useState(current?.instructions ?? '');
  const save = useAction(async () => {
    await api.put(`/parcels/${encodeURIComponent(trackingNumber)}/delivery-instructions`, {
      where,
      ...(instructions.trim() ? { instructions: instructions.trim() } : {}),
    });
    done(`Delivery instructions saved: ${humanize(where)}.`);
  });
  return (
    <Form onSubmit={save.run} label="Delivery instructions">
      <h4>Delivery instructions</h4>
      <ErrorSummary error={save.error} />
      <LocationSelect label="Leave the parcel at" value={where} onChange={setWhere} />
      <TextArea label="Notes for the carrier" value={instructions} onChange={setInstructions} />
      <button type="submit" disabled={save.busy}>
        Save instructions
      </button>
    </Form>
  );
}

function CancelRedelivery({ confirmationNumber, done }: { confirmationNumber: string; done: (m: string) => void }) {
  const cancel = useAction(async () => {
    await api.delete(`/redeliveries/${encodeURIComponent(confirmationNumber)}`);
    done(`Redelivery ${confirmationNumber} cancelled.`);
  });
  return (
    <>
      <ErrorSummary error={cancel.error} />
      <button type="button" disabled={cancel.busy} onClick={() => void cancel.run()}>
        Cancel redelivery {confirmationNumber}
      </button>
    </>
  );
}

/**
 * The delivery actions a signed-in user may take on a parcel, exactly as `options` allows them.
 * Nothing shows for someone who is neither its recipient nor its shipper (the API answers 404).
 */
export function ParcelActions({ trackingNumber }: { trackingNumber: string }) {
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
      <h3 id={titleId}>Manage this delivery</h3>
      {notice ? <Success>{notice}</Success> : null}
      <dl className="facts">
        <dt>You are</dt>
        <dd>{view.roles.map((r) => (r === 'recipient' ? 'the recipient' : 'the shipper')).join(' and ')}</dd>
        {view.redelivery ? (
          <>
            <dt>Redelivery</dt>
            <dd>
              {calendarDate(view.redelivery.date)} · {humanize(view.redelivery.status)} ·{' '}
              <span className="mono">{view.redelivery.confirmationNumber}</span>
            </dd>
          </>
        ) : null}
        {view.intercept ? (
          <>
            <dt>Intercept</dt>
            <dd>
              {humanize(view.intercept.action)}: {humanize(view.intercept.status)}
            </dd>
          </>
        ) : null}
        {view.deliveryInstructions ? (
          <>
            <dt>Delivery instructions</dt>
            <dd>
              {humanize(view.deliveryInstructions.where)}
              {view.deliveryInstructions.instructions ? ` · ${view.deliveryInstructions.instructions}` : ''}
              {view.deliveryInstructions.scope === 'address' ? ' (your address default)' : ''}
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
          <summary>Not available now</summary>
          <ul>
            {unavailable.map((k) => (
              <li key={k}>
                <strong>{ACTION_NAMES[k]}:</strong> {actions[k].reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {view.requests.length > 0 ? (
        <>
          <h4>Your requests</h4>
          <ul className="item-list" aria-label="Your requests on this parcel">
            {view.requests.map((r) => (
              <li key={r.id}>
                <div>
                  {r.description}
                  <div className="muted">
                    {humanize(r.status)} · {dateTime(r.at)}
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
