import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/api-client';
import { ErrorSummary, Field, Form, Loading, PageTitle, Success, useAction, useLoad } from '../components/ui';
import { dateTime, humanize } from '../lib/format';

/** What an endpoint may subscribe to (the API's `eventTypes`; the OpenAPI document lists the same). */
const EVENT_CHOICES: { value: string; label: string }[] = [
  { value: 'tracking.updated', label: 'Tracking updates (every status change)' },
  { value: 'parcel.available_for_pickup', label: 'Parcel available for pickup' },
  { value: 'parcel.delivered', label: 'Parcel delivered' },
  { value: 'label.*', label: 'Labels (created, refunded)' },
  { value: 'pickup.*', label: 'Pickups (scheduled, changed, cancelled, completed, missed)' },
];

interface Endpoint {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  status: string;
  disabledReason: string | null;
  previousSecretExpiresAt: string | null;
  createdAt: string;
}

interface Attempt {
  at: string;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  manual: boolean;
}

interface Delivery {
  id: string;
  eventType: string;
  status: string;
  createdAt: string;
  nextAttemptAt: string | null;
  attempts: Attempt[];
}

function endpointPath(id: string, rest = ''): string {
  return `/webhooks/endpoints/${encodeURIComponent(id)}${rest}`;
}

/** A secret is shown once (after registering or rotating): the customer copies it now. */
function SecretNotice({ secret, what }: { secret: string; what: string }) {
  return (
    <Success>
      <p>{what} Copy the signing secret now: it is not shown again.</p>
      <p>
        <code className="secret" aria-label="Signing secret">
          {secret}
        </code>
      </p>
    </Success>
  );
}

function DeliveryLog({ endpoint }: { endpoint: Endpoint }) {
  const log = useLoad(
    () => api.get<{ items: Delivery[] }>(endpointPath(endpoint.id, '/deliveries?limit=50')),
    [endpoint.id],
  );
  const [sent, setSent] = useState('');
  const redeliver = useAction(async (id: string) => {
    await api.post(endpointPath(endpoint.id, `/deliveries/${encodeURIComponent(id)}/redeliver`));
    setSent(id);
    log.reload();
  });
  const items = log.data?.items;
  return (
    <div className="delivery-log">
      <ErrorSummary error={log.error ?? redeliver.error} />
      {sent ? <Success>Delivery {sent} queued again.</Success> : null}
      <button type="button" onClick={log.reload}>
        Refresh the log
      </button>
      {log.loading ? <Loading what="the delivery log" /> : null}
      {items && items.length === 0 ? <p className="muted">No deliveries yet.</p> : null}
      {items && items.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption>Deliveries to {endpoint.url}, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last answer</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => {
                const last = d.attempts.at(-1);
                const final = d.status !== 'pending' && d.status !== 'retrying';
                return (
                  <tr key={d.id}>
                    <td>
                      <code>{d.eventType}</code>
                    </td>
                    <td>
                      <span className="badge">{humanize(d.status)}</span>
                    </td>
                    <td>{d.attempts.length}</td>
                    <td>
                      {last
                        ? `${last.statusCode ?? 'no answer'}${last.error && last.statusCode === null ? ` (${last.error})` : ''} in ${last.latencyMs} ms`
                        : '—'}
                    </td>
                    <td>{dateTime(d.createdAt)}</td>
                    <td>
                      {final && endpoint.status === 'enabled' ? (
                        <button type="button" onClick={() => void redeliver.run(d.id)} disabled={redeliver.busy}>
                          Send again
                          <span className="visually-hidden">
                            {' '}
                            {d.eventType} of {dateTime(d.createdAt)}
                          </span>
                        </button>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

function EndpointItem({ endpoint, onChange }: { endpoint: Endpoint; onChange: () => void }) {
  const { t } = useTranslation();
  const [secret, setSecret] = useState('');
  const [showLog, setShowLog] = useState(false);
  const [tested, setTested] = useState('');
  const sendTest = useAction(async () => {
    const delivery = await api.post<{ id: string }>(endpointPath(endpoint.id, '/test'));
    setTested(delivery.id);
    setShowLog(true);
  });
  const rotate = useAction(async () => {
    const rotated = await api.post<{ secret: string }>(endpointPath(endpoint.id, '/rotate-secret'));
    setSecret(rotated.secret);
    onChange();
  });
  const remove = useAction(async () => {
    await api.delete(endpointPath(endpoint.id));
    onChange();
  });
  const enable = useAction(async () => {
    await api.patch(endpointPath(endpoint.id), { enabled: true });
    onChange();
  });
  const headingId = `endpoint-${endpoint.id}`;
  return (
    <li className="panel" aria-labelledby={headingId}>
      <h3 id={headingId} className="endpoint-url">
        {endpoint.url}
      </h3>
      <p>
        <span className="badge">{humanize(endpoint.status)}</span>{' '}
        {endpoint.description ? <>{endpoint.description} · </> : null}registered {dateTime(endpoint.createdAt)}
      </p>
      {endpoint.disabledReason ? <p>Disabled: {endpoint.disabledReason}</p> : null}
      <p>
        Events:{' '}
        {endpoint.eventTypes.map((t) => (
          <code key={t}>{t} </code>
        ))}
      </p>
      {endpoint.previousSecretExpiresAt ? (
        <p className="muted">The previous secret also signs until {dateTime(endpoint.previousSecretExpiresAt)}.</p>
      ) : null}
      <ErrorSummary error={rotate.error ?? remove.error ?? enable.error ?? sendTest.error} />
      {secret ? <SecretNotice secret={secret} what="The secret was rotated." /> : null}
      {tested ? <Success>{t('webhooks.testQueued', { id: tested })}</Success> : null}
      <div className="actions">
        <button type="button" onClick={() => setShowLog((s) => !s)} aria-expanded={showLog}>
          Delivery log<span className="visually-hidden"> of {endpoint.url}</span>
        </button>
        {endpoint.status === 'enabled' ? (
          <button type="button" onClick={() => void sendTest.run()} disabled={sendTest.busy}>
            {t('webhooks.sendTest')}
            <span className="visually-hidden"> {t('webhooks.sendTestTo', { url: endpoint.url })}</span>
          </button>
        ) : null}
        <button type="button" onClick={() => void rotate.run()} disabled={rotate.busy}>
          Rotate secret<span className="visually-hidden"> of {endpoint.url}</span>
        </button>
        {endpoint.status === 'disabled' ? (
          <button type="button" onClick={() => void enable.run()} disabled={enable.busy}>
            Enable<span className="visually-hidden"> {endpoint.url}</span>
          </button>
        ) : null}
        <button type="button" onClick={() => void remove.run()} disabled={remove.busy}>
          Delete<span className="visually-hidden"> {endpoint.url}</span>
        </button>
      </div>
      {showLog ? <DeliveryLog endpoint={endpoint} /> : null}
    </li>
  );
}

export function WebhooksPage() {
  const endpoints = useLoad(() => api.get<{ items: Endpoint[] }>('/webhooks/endpoints'));
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [types, setTypes] = useState<string[]>(['tracking.updated']);
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  const create = useAction(async () => {
    const answer = await api.post<{ url: string; secret: string }>('/webhooks/endpoints', {
      url: url.trim(),
      eventTypes: types,
      ...(description.trim() ? { description: description.trim() } : {}),
    });
    setCreated(answer);
    setUrl('');
    setDescription('');
    endpoints.reload();
  });
  const toggle = (value: string, on: boolean) =>
    setTypes((current) => (on ? [...current, value] : current.filter((t) => t !== value)));
  return (
    <>
      <PageTitle title="Webhooks">Webhooks</PageTitle>
      <p>
        Your systems can be told about your parcels, labels and pickups as they happen. Each delivery is signed
        (Standard Webhooks): check the signature with the secret shown when you add an endpoint.
      </p>
      <div className="grid">
        <section className="panel webhooks-panel" aria-labelledby="new-endpoint-title">
          <h2 id="new-endpoint-title">Add an endpoint</h2>
          <ErrorSummary error={create.error} />
          {created ? <SecretNotice secret={created.secret} what={`The endpoint ${created.url} was added.`} /> : null}
          <Form onSubmit={create.run} label="New webhook endpoint">
            <Field
              label="Endpoint URL"
              type="url"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              maxLength={2048}
              required
              hint="An https address on the public internet."
            />
            <fieldset>
              <legend>Events to send</legend>
              {EVENT_CHOICES.map((choice) => (
                <div className="checkbox" key={choice.value}>
                  <input
                    type="checkbox"
                    id={`event-${choice.value}`}
                    checked={types.includes(choice.value)}
                    onChange={(e) => toggle(choice.value, e.target.checked)}
                  />
                  <label htmlFor={`event-${choice.value}`}>{choice.label}</label>
                </div>
              ))}
            </fieldset>
            <Field
              label="Description"
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              maxLength={200}
            />
            <button type="submit" className="primary" disabled={create.busy || types.length === 0}>
              Add endpoint
            </button>
          </Form>
        </section>
        <section className="panel webhooks-panel" aria-labelledby="endpoints-title">
          <h2 id="endpoints-title">Your endpoints</h2>
          <ErrorSummary error={endpoints.error} />
          {endpoints.loading ? <Loading what="your endpoints" /> : null}
          {endpoints.data?.items.length === 0 ? <p className="muted">No endpoints yet.</p> : null}
          <ul className="plain-list">
            {endpoints.data?.items.map((e) => (
              <EndpointItem key={e.id} endpoint={e} onChange={endpoints.reload} />
            ))}
          </ul>
        </section>
      </div>
    </>
  );
}
