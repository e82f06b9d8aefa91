import { centralDate } from '@app/contracts/calendar/delivery-days';
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/api-client';
import { StatusBadge } from '../components/timeline';
import { ErrorSummary, Field, Form, Loading, PageTitle, useAction, useLoad } from '../components/ui';
import { calendarDate, dateTime, humanize } from '../lib/format';
import { WATCHLIST_API } from '../offline/last-known';
import type { HoldMailView } from './hold-mail.page';
import type { InboxPage } from './inbox.page';
import { Trans, useTranslation } from 'react-i18next';
import type { ApiSchemas } from '../api/types';

export type WatchlistEntry = ApiSchemas['WatchlistEntry'];

type IncomingParcel = ApiSchemas['IncomingView'];

export function Watchlist() {
  const { t } = useTranslation();
  const list = useLoad(() => api.get<{ items: WatchlistEntry[] }>(WATCHLIST_API));
  const [trackingNumber, setTrackingNumber] = useState('');
  const [nickname, setNickname] = useState('');
  const add = useAction(async () => {
    await api.post('/tracking/watchlist', {
      trackingNumber: trackingNumber.trim(),
      ...(nickname.trim() ? { nickname: nickname.trim() } : {}),
    });
    setTrackingNumber('');
    setNickname('');
    list.reload();
  });
  const title = useRef<HTMLHeadingElement>(null);
  const remove = useAction(async (tn: string) => {
    await api.delete(`/tracking/watchlist/${encodeURIComponent(tn)}`);
    // The focused Remove button goes with its row: keep the keyboard in this panel.
    title.current?.focus();
    list.reload();
  });
  return (
    <section className="panel" aria-labelledby="watchlist-title">
      <h2 id="watchlist-title" ref={title} tabIndex={-1}>
        {t('dashboard.watchlist')}
      </h2>
      <ErrorSummary error={list.error ?? add.error ?? remove.error} />
      {list.loading ? <Loading what={t('dashboard.loadingWatchlist')} /> : null}
      {list.data && list.data.items.length === 0 ? <p className="muted">{t('dashboard.notWatching')}</p> : null}
      {list.data && list.data.items.length > 0 ? (
        <ul className="item-list">
          {list.data.items.map((w) => (
            <li key={w.trackingNumber}>
              <div>
                <Link className="mono" to={`/track?numbers=${w.trackingNumber}`}>
                  {w.trackingNumber}
                </Link>
                {w.nickname ? <span> · {w.nickname}</span> : null}
                <div>
                  <StatusBadge category={w.statusCategory ?? w.status} />
                  {w.lastEventAt ? (
                    <span className="muted"> {t('dashboard.updated', { date: dateTime(w.lastEventAt) })}</span>
                  ) : null}
                </div>
              </div>
              <button
                type="button"
                onClick={() => void remove.run(w.trackingNumber)}
                aria-label={t('dashboard.removeFrom', { trackingNumber: w.trackingNumber })}
              >
                {t('common.remove')}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <Form onSubmit={add.run} label={t('dashboard.watchForm')}>
        <div className="row">
          <Field
            label={t('dashboard.trackingNumber')}
            value={trackingNumber}
            onChange={(e) => setTrackingNumber(e.target.value)}
            required
          />
          <Field
            label={t('dashboard.nickname')}
            value={nickname}
            onChange={(e) => setNickname(e.target.value)}
            maxLength={60}
          />
        </div>
        <button type="submit" disabled={add.busy}>
          {t('dashboard.watch')}
        </button>
      </Form>
    </section>
  );
}

function Incoming() {
  const { t } = useTranslation();
  const incoming = useLoad(() => api.get<{ items: IncomingParcel[] }>('/tracking/incoming'));
  return (
    <section className="panel" aria-labelledby="incoming-title">
      <h2 id="incoming-title">{t('dashboard.incoming')}</h2>
      <ErrorSummary error={incoming.error} />
      {incoming.loading ? <Loading what={t('dashboard.loadingIncoming')} /> : null}
      {incoming.data && incoming.data.items.length === 0 ? (
        <p className="muted">
          <Trans i18nKey="dashboard.noIncoming" components={{ go: <Link to="/profile" /> }} />
        </p>
      ) : null}
      <ul className="item-list">
        {incoming.data?.items.map((p) => (
          <li key={p.trackingNumber}>
            <Link className="mono" to={`/track?numbers=${p.trackingNumber}`}>
              {p.trackingNumber}
            </Link>
            <StatusBadge category={p.statusCategory ?? p.status} />
          </li>
        ))}
      </ul>
    </section>
  );
}

type RedeliveryView = ApiSchemas['RedeliveryView'];

/** Redeliveries still to come and Hold Mail not yet over: the requests the user may still act on. */
function ActiveRequests() {
  const { t } = useTranslation();
  const requests = useLoad(async () => {
    const [redeliveries, holds] = await Promise.all([
      api.get<{ items: RedeliveryView[] }>('/redeliveries?limit=50'),
      api.get<{ items: HoldMailView[] }>('/hold-mail?limit=50'),
    ]);
    const today = centralDate(new Date());
    return {
      redeliveries: redeliveries.items.filter((r) => r.active),
      // The server's `inForce` covers today; a scheduled hold ending before today is over.
      holds: holds.items.filter((h) => h.status === 'scheduled' && (h.inForce || h.endDate >= today)),
    };
  });
  const empty = requests.data && requests.data.redeliveries.length + requests.data.holds.length === 0;
  return (
    <section className="panel" aria-labelledby="requests-title">
      <h2 id="requests-title">{t('dashboard.activeRequests')}</h2>
      <ErrorSummary error={requests.error} />
      {requests.loading ? <Loading what={t('dashboard.loadingRequests')} /> : null}
      {empty ? <p className="muted">{t('dashboard.noRequests')}</p> : null}
      <ul className="item-list">
        {requests.data?.redeliveries.map((r) => (
          <li key={r.confirmationNumber}>
            <div>
              {t('dashboard.redeliveryOn', { date: calendarDate(r.date) })} ·{' '}
              <Link className="mono" to={`/track?numbers=${r.trackingNumber}`}>
                {r.trackingNumber}
              </Link>
              <div className="muted">
                {humanize(r.status)} · <span className="mono">{r.confirmationNumber}</span>
              </div>
            </div>
          </li>
        ))}
        {requests.data?.holds.map((h) => (
          <li key={h.confirmationNumber}>
            <div>
              {t('dashboard.holdMailFromTo', { from: calendarDate(h.startDate), to: calendarDate(h.endDate) })}
              <div className="muted">
                {h.inForce ? t('dashboard.holdingNow') : humanize(h.status)} ·{' '}
                <span className="mono">{h.confirmationNumber}</span>
              </div>
            </div>
          </li>
        ))}
      </ul>
      <p>
        <Link to="/hold-mail">{t('nav.holdMail')}</Link>
      </p>
    </section>
  );
}

function UnreadNotices() {
  const { t } = useTranslation();
  const inbox = useLoad(() => api.get<InboxPage>('/notifications?limit=5'));
  const unread = inbox.data?.items.filter((i) => !i.read) ?? [];
  return (
    <section className="panel" aria-labelledby="notices-title">
      <h2 id="notices-title">
        {t('dashboard.unread')}
        {inbox.data ? <span className="count"> ({inbox.data.unreadCount})</span> : null}
      </h2>
      <ErrorSummary error={inbox.error} />
      {inbox.loading ? <Loading what={t('dashboard.loadingNotices')} /> : null}
      {inbox.data && unread.length === 0 ? <p className="muted">{t('dashboard.caughtUp')}</p> : null}
      <ul className="item-list">
        {unread.map((n) => (
          <li key={n.id}>
            <div>
              <strong>{n.title}</strong>
              <div className="muted">{dateTime(n.createdAt)}</div>
            </div>
          </li>
        ))}
      </ul>
      <p>
        <Link to="/inbox">{t('dashboard.openInbox')}</Link>
      </p>
    </section>
  );
}

export function DashboardPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle title={t('dashboard.title')}>{t('dashboard.heading')}</PageTitle>
      <div className="grid">
        <UnreadNotices />
        <ActiveRequests />
        <Watchlist />
        <Incoming />
      </div>
    </>
  );
}
