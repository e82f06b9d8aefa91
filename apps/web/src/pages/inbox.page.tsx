import { api } from '../api/api-client';
import { ErrorSummary, Loading, PageTitle, useAction, useLoad } from '../components/ui';
import { dateTime, humanize } from '../lib/format';
import { Trans, useTranslation } from 'react-i18next';
import type { ApiSchemas } from '../api/types';

export type InboxItem = ApiSchemas['InboxItem'];

export type InboxPage = ApiSchemas['InboxPage'];

export function InboxPage() {
  const { t } = useTranslation();
  const inbox = useLoad(() => api.get<InboxPage>('/notifications?limit=50'));
  const markRead = useAction(async (id: string) => {
    await api.post(`/notifications/${encodeURIComponent(id)}/read`);
    // The button disappears once read: the keyboard stays on this notice.
    document.getElementById(`notice-${id}`)?.focus();
    inbox.reload();
  });
  return (
    <>
      <PageTitle title={t('inbox.title')}>{t('inbox.title')}</PageTitle>
      {inbox.data ? <p role="status">{t('inbox.unreadCount', { count: inbox.data.unreadCount })}</p> : null}
      <ErrorSummary error={inbox.error ?? markRead.error} />
      {inbox.loading ? <Loading what={t('inbox.loading')} /> : null}
      {inbox.data && inbox.data.items.length === 0 ? <p className="muted">{t('inbox.none')}</p> : null}
      <ul className="item-list inbox">
        {inbox.data?.items.map((n) => (
          <li key={n.id} className={n.read ? undefined : 'unread'}>
            <article aria-labelledby={`notice-${n.id}`}>
              <h2 id={`notice-${n.id}`} className="notice-title" tabIndex={-1}>
                {n.read ? null : <span className="visually-hidden">{t('inbox.unreadPrefix')}</span>}
                {n.title}
              </h2>
              <div className="muted">
                {t(`inbox.kinds.${n.kind}`, { defaultValue: humanize(n.kind) })} · {dateTime(n.createdAt)}
              </div>
              <p className="notice-body">{n.body}</p>
              {n.link ? (
                <a href={n.link.replace(/^https?:\/\/[^/]+/, '')}>
                  <Trans
                    i18nKey="inbox.details"
                    values={{ title: n.title }}
                    components={{ hidden: <span className="visually-hidden" /> }}
                  />
                </a>
              ) : null}
            </article>
            {n.read ? null : (
              <button
                type="button"
                onClick={() => void markRead.run(n.id)}
                aria-label={t('inbox.markReadOf', { title: n.title })}
              >
                {t('inbox.markRead')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
