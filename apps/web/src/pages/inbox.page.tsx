import { api } from '../api/api-client';
import { ErrorSummary, Loading, PageTitle, useAction, useLoad } from '../components/ui';
import { dateTime, humanize } from '../lib/format';

export interface InboxItem {
  id: string;
  kind: string;
  title: string;
  body: string;
  link?: string;
  createdAt: string;
  read: boolean;
}

export interface InboxPage {
  items: InboxItem[];
  nextCursor: string | null;
  unreadCount: number;
}

export function InboxPage() {
  const inbox = useLoad(() => api.get<InboxPage>('/notifications?limit=50'));
  const markRead = useAction(async (id: string) => {
    await api.post(`/notifications/${encodeURIComponent(id)}/read`);
    // The button disappears once read: the keyboard stays on this notice.
    document.getElementById(`notice-${id}`)?.focus();
    inbox.reload();
  });
  return (
    <>
      <PageTitle title="Inbox">Inbox</PageTitle>
      {inbox.data ? <p role="status">{inbox.data.unreadCount} unread</p> : null}
      <ErrorSummary error={inbox.error ?? markRead.error} />
      {inbox.loading ? <Loading what="your messages" /> : null}
      {inbox.data && inbox.data.items.length === 0 ? <p className="muted">No messages yet.</p> : null}
      <ul className="item-list inbox">
        {inbox.data?.items.map((n) => (
          <li key={n.id} className={n.read ? undefined : 'unread'}>
            <article aria-labelledby={`notice-${n.id}`}>
              <h2 id={`notice-${n.id}`} className="notice-title" tabIndex={-1}>
                {n.read ? null : <span className="visually-hidden">Unread: </span>}
                {n.title}
              </h2>
              <div className="muted">
                {humanize(n.kind)} · {dateTime(n.createdAt)}
              </div>
              <p className="notice-body">{n.body}</p>
              {n.link ? (
                <a href={n.link.replace(/^https?:\/\/[^/]+/, '')}>
                  Details<span className="visually-hidden"> about {n.title}</span>
                </a>
              ) : null}
            </article>
            {n.read ? null : (
              <button type="button" onClick={() => void markRead.run(n.id)} aria-label={`Mark as read: ${n.title}`}>
                Mark as read
              </button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
