import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/api-client';
import { ErrorSummary, Loading, OneFieldForm, PageTitle, Success, useAction, useLoad } from '../components/ui';
import { dateTime } from '../lib/format';
import { useTranslation } from 'react-i18next';
import type { ApiSchemas } from '../api/types';

type ApiKeyView = ApiSchemas['ApiKeyView'];

export function OperatorPage() {
  const { t } = useTranslation();
  const keys = useLoad(() => api.get<{ items: ApiKeyView[] }>('/admin/api-keys'));
  const [name, setName] = useState('');
  const [created, setCreated] = useState<{ id: string; key: string } | null>(null);
  const create = useAction(async () => {
    setCreated(
      await api.post<{ id: string; key: string }>('/admin/api-keys', { name: name.trim(), roles: ['scanner'] }),
    );
    setName('');
    keys.reload();
  });
  // A page visit sends no Bearer header: first get the short-lived cookie that /admin/queues accepts.
  const openBoard = useAction(async () => {
    await api.post('/admin/queues/session');
    window.location.assign('/admin/queues');
  });
  const revoke = useAction(async (id: string) => {
    await api.delete(`/admin/api-keys/${encodeURIComponent(id)}`);
    keys.reload();
  });
  return (
    <>
      <PageTitle title={t('operator.title')}>{t('operator.heading')}</PageTitle>
      <ul className="plain-links">
        <li>
          <Link to="/support">{t('operator.supportCases')}</Link>
        </li>
        <li>
          <Link to="/operator/orders">{t('operator.stampOrders')}</Link>
        </li>
        <li>
          <a
            href="/admin/queues"
            onClick={(e) => {
              e.preventDefault();
              void openBoard.run();
            }}
          >
            {t('operator.queues')}
          </a>
        </li>
      </ul>
      <ErrorSummary error={openBoard.error} title={t('operator.queuesFailed')} />
      <section className="panel" aria-labelledby="keys-title">
        <h2 id="keys-title">{t('operator.keys')}</h2>
        <ErrorSummary error={keys.error ?? create.error ?? revoke.error} />
        {created ? (
          <Success>
            {t('operator.newKey')}{' '}
            <code className="secret" data-testid="api-key">
              {created.key}
            </code>
          </Success>
        ) : null}
        <OneFieldForm
          onSubmit={create.run}
          label={t('operator.createForm')}
          field={{
            label: t('operator.keyName'),
            value: name,
            onChange: (e) => setName(e.target.value),
            maxLength: 100,
            required: true,
            hint: t('operator.keyHint'),
          }}
          submit={t('operator.create')}
          busy={create.busy}
          primary
        />
        {keys.loading ? <Loading what={t('operator.loading')} /> : null}
        <ul className="item-list">
          {keys.data?.items.map((k) => (
            <li key={k.id}>
              <div>
                <strong>{k.name}</strong> <span className="muted">({k.roles.join(', ')})</span>
                <div className="muted">
                  {t('operator.created', { date: dateTime(k.createdAt) })}
                  {k.revokedAt ? ` · ${t('operator.revoked', { date: dateTime(k.revokedAt) })}` : ''}
                </div>
              </div>
              {k.revokedAt ? null : (
                <button
                  type="button"
                  className="danger"
                  onClick={() => void revoke.run(k.id)}
                  aria-label={t('operator.revokeOf', { name: k.name })}
                >
                  {t('operator.revoke')}
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
