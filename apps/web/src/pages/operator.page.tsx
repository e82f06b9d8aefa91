import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/api-client';
import { ErrorSummary, Field, Form, Loading, PageTitle, Success, useAction, useLoad } from '../components/ui';
import { dateTime } from '../lib/format';

interface ApiKeyView {
  id: string;
  name: string;
  roles: string[];
  createdAt: string;
  revokedAt?: string;
}

export function OperatorPage() {
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
      <PageTitle title="Operator">Operator tools</PageTitle>
      <ul className="plain-links">
        <li>
          <Link to="/support">Support cases</Link>
        </li>
        <li>
          <Link to="/operator/orders">Stamp orders to ship</Link>
        </li>
        <li>
          <a
            href="/admin/queues"
            onClick={(e) => {
              e.preventDefault();
              void openBoard.run();
            }}
          >
            Queue dashboard (email and SMS jobs)
          </a>
        </li>
      </ul>
      <ErrorSummary error={openBoard.error} title="We could not open the queue dashboard" />
      <section className="panel" aria-labelledby="keys-title">
        <h2 id="keys-title">API keys for scanners</h2>
        <ErrorSummary error={keys.error ?? create.error ?? revoke.error} />
        {created ? (
          <Success>
            New key (shown once, copy it now):{' '}
            <code className="secret" data-testid="api-key">
              {created.key}
            </code>
          </Success>
        ) : null}
        <Form onSubmit={create.run} label="Create an API key">
          <Field
            label="Key name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={100}
            required
            hint="Which system uses it, e.g. Sorting centre 12"
          />
          <button type="submit" className="primary" disabled={create.busy}>
            Create scanner key
          </button>
        </Form>
        {keys.loading ? <Loading what="API keys" /> : null}
        <ul className="item-list">
          {keys.data?.items.map((k) => (
            <li key={k.id}>
              <div>
                <strong>{k.name}</strong> <span className="muted">({k.roles.join(', ')})</span>
                <div className="muted">
                  created {dateTime(k.createdAt)}
                  {k.revokedAt ? ` · revoked ${dateTime(k.revokedAt)}` : ''}
                </div>
              </div>
              {k.revokedAt ? null : (
                <button
                  type="button"
                  className="danger"
                  onClick={() => void revoke.run(k.id)}
                  aria-label={`Revoke key ${k.name}`}
                >
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
