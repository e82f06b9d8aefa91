import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/api-client';
import { ErrorSummary, Field, Form, Loading, PageTitle, Success, useAction, useLoad } from '../components/ui';
import { dateTime, humanize } from '../lib/format';
import type { TFunction } from 'i18next';
import type { ApiSchemas } from '../api/types';

/** What an endpoint may subscribe to (the API's `eventTypes`; the OpenAPI document lists the same). */
function eventChoices(t: TFunction): { value: string; label: string }[] {
  return [
    { value: 'tracking.updated', label: t('webhooks.eventTracking') },
    { value: 'parcel.available_for_pickup', label: t('webhooks.eventAvailable') },
    { value: 'parcel.delivered', label: t('webhooks.eventDelivered') },
    { value: 'label.*', label: t('webhooks.eventLabels') },
    { value: 'pickup.*', label: t('webhooks.eventPickups') },
  ];
}

const STATUSES = new Set(['enabled', 'disabled', 'pending', 'retrying', 'succeeded', 'failed', 'cancelled']);

/** An endpoint's or a delivery's status in the page's language (an unknown one as the API writes it). */
function statusName(status: string, t: TFunction): string {
  return STATUSES.has(status) ? t(`webhooks.status_${status}`) : humanize(status);
}

type Endpoint = ApiSchemas['EndpointView'];

type Delivery = ApiSchemas['DeliveryView'];

function endpointPath(id: string, rest = ''): string {
  return `/webhooks/endpoints/${encodeURIComponent(id)}${rest}`;
}

/** A secret is shown once (after registering or rotating): the customer copies it now. */
function SecretNotice({ secret, what }: { secret: string; what: string }) {
  const { t } = useTranslation();
  return (
    <Success>
      <p>{t('webhooks.copySecret', { what })}</p>
      <p>
        <code className="secret" aria-label={t('webhooks.secret')}>
          {secret}
        </code>
      </p>
    </Success>
  );
}

function DeliveryLog({ endpoint }: { endpoint: Endpoint }) {
  const { t } = useTranslation();
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
      {sent ? <Success>{t('webhooks.queuedAgain', { id: sent })}</Success> : null}
      <button type="button" onClick={log.reload}>
        {t('webhooks.refresh')}
      </button>
      {log.loading ? <Loading what={t('webhooks.loadingLog')} /> : null}
      {items && items.length === 0 ? <p className="muted">{t('webhooks.noDeliveries')}</p> : null}
      {items && items.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption>{t('webhooks.logCaption', { url: endpoint.url })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('webhooks.event')}</th>
                <th scope="col">{t('webhooks.status')}</th>
                <th scope="col">{t('webhooks.attempts')}</th>
                <th scope="col">{t('webhooks.lastAnswer')}</th>
                <th scope="col">{t('webhooks.created')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('webhooks.actions')}</span>
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
                      <span className="badge">{statusName(d.status, t)}</span>
                    </td>
                    <td>{d.attempts.length}</td>
                    <td>
                      {last
                        ? t('webhooks.answerIn', {
                            answer:
                              last.statusCode ??
                              (last.error
                                ? t('webhooks.noAnswerError', { error: last.error })
                                : t('webhooks.noAnswer')),
                            ms: last.latencyMs,
                          })
                        : '—'}
                    </td>
                    <td>{dateTime(d.createdAt)}</td>
                    <td>
                      {final && endpoint.status === 'enabled' ? (
                        <button type="button" onClick={() => void redeliver.run(d.id)} disabled={redeliver.busy}>
                          {t('webhooks.sendAgain')}
                          <span className="visually-hidden">
                            {' '}
                            {t('webhooks.eventOf', { event: d.eventType, date: dateTime(d.createdAt) })}
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
        <span className="badge">{statusName(endpoint.status, t)}</span>{' '}
        {endpoint.description ? <>{endpoint.description} · </> : null}
        {t('webhooks.registered', { date: dateTime(endpoint.createdAt) })}
      </p>
      {endpoint.disabledReason ? <p>{t('webhooks.disabledBecause', { reason: endpoint.disabledReason })}</p> : null}
      <p>
        {t('webhooks.events')}{' '}
        {endpoint.eventTypes.map((type) => (
          <code key={type}>{type} </code>
        ))}
      </p>
      {endpoint.previousSecretExpiresAt ? (
        <p className="muted">{t('webhooks.previousSecret', { date: dateTime(endpoint.previousSecretExpiresAt) })}</p>
      ) : null}
      <ErrorSummary error={rotate.error ?? remove.error ?? enable.error ?? sendTest.error} />
      {secret ? <SecretNotice secret={secret} what={t('webhooks.rotated')} /> : null}
      {tested ? <Success>{t('webhooks.testQueued', { id: tested })}</Success> : null}
      <div className="actions">
        <button type="button" onClick={() => setShowLog((s) => !s)} aria-expanded={showLog}>
          {t('webhooks.log')}
          <span className="visually-hidden"> {t('webhooks.ofUrl', { url: endpoint.url })}</span>
        </button>
        {endpoint.status === 'enabled' ? (
          <button type="button" onClick={() => void sendTest.run()} disabled={sendTest.busy}>
            {t('webhooks.sendTest')}
            <span className="visually-hidden"> {t('webhooks.sendTestTo', { url: endpoint.url })}</span>
          </button>
        ) : null}
        <button type="button" onClick={() => void rotate.run()} disabled={rotate.busy}>
          {t('webhooks.rotate')}
          <span className="visually-hidden"> {t('webhooks.ofUrl', { url: endpoint.url })}</span>
        </button>
        {endpoint.status === 'disabled' ? (
          <button type="button" onClick={() => void enable.run()} disabled={enable.busy}>
            {t('webhooks.enable')}
            <span className="visually-hidden"> {endpoint.url}</span>
          </button>
        ) : null}
        <button type="button" onClick={() => void remove.run()} disabled={remove.busy}>
          {t('webhooks.delete')}
          <span className="visually-hidden"> {endpoint.url}</span>
        </button>
      </div>
      {showLog ? <DeliveryLog endpoint={endpoint} /> : null}
    </li>
  );
}

export function WebhooksPage() {
  const { t } = useTranslation();
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
    setTypes((current) => (on ? [...current, value] : current.filter((type) => type !== value)));
  return (
    <>
      <PageTitle title={t('webhooks.title')}>{t('webhooks.title')}</PageTitle>
      <p>{t('webhooks.intro')}</p>
      <div className="grid">
        <section className="panel webhooks-panel" aria-labelledby="new-endpoint-title">
          <h2 id="new-endpoint-title">{t('webhooks.addTitle')}</h2>
          <ErrorSummary error={create.error} />
          {created ? <SecretNotice secret={created.secret} what={t('webhooks.added', { url: created.url })} /> : null}
          <Form onSubmit={create.run} label={t('webhooks.newForm')}>
            <Field
              label={t('webhooks.url')}
              type="url"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              maxLength={2048}
              required
              hint={t('webhooks.urlHint')}
            />
            <fieldset>
              <legend>{t('webhooks.eventsToSend')}</legend>
              {eventChoices(t).map((choice) => (
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
              label={t('webhooks.description')}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              maxLength={200}
            />
            <button type="submit" className="primary" disabled={create.busy || types.length === 0}>
              {t('webhooks.add')}
            </button>
          </Form>
        </section>
        <section className="panel webhooks-panel" aria-labelledby="endpoints-title">
          <h2 id="endpoints-title">{t('webhooks.yours')}</h2>
          <ErrorSummary error={endpoints.error} />
          {endpoints.loading ? <Loading what={t('webhooks.loading')} /> : null}
          {endpoints.data?.items.length === 0 ? <p className="muted">{t('webhooks.none')}</p> : null}
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
