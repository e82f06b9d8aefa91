import { centralDate } from '@app/contracts/calendar/delivery-days';
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/api-client';
import { StatusBadge } from '../components/timeline';
import { ErrorSummary, Field, Form, Loading, PageTitle, useAction, useLoad } from '../components/ui';
import { calendarDate, dateTime, humanize } from '../lib/format';
import type { HoldMailView } from './hold-mail.page';
import type { InboxPage } from './inbox.page';

interface WatchlistEntry {
  trackingNumber: string;
  nickname?: string;
  found: boolean;
  status: string | null;
  statusCategory?: string | null;
  expectedDelivery?: string;
  lastEventAt?: string;
}

interface IncomingParcel {
  trackingNumber: string;
  statusCategory?: string;
  status?: string;
  expectedDelivery?: string;
}

function Watchlist() {
  const list = useLoad(() => api.get<{ items: WatchlistEntry[] }>('/tracking/watchlist?limit=50'));
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
        Watchlist
      </h2>
      <ErrorSummary error={list.error ?? add.error ?? remove.error} />
      {list.loading ? <Loading what="your watchlist" /> : null}
      {list.data && list.data.items.length === 0 ? <p className="muted">You are not watching any parcel yet.</p> : null}
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
                  {w.lastEventAt ? <span className="muted"> updated {dateTime(w.lastEventAt)}</span> : null}
                </div>
              </div>
              <button
                type="button"
                onClick={() => void remove.run(w.trackingNumber)}
                aria-label={`Remove ${w.trackingNumber} from the watchlist`}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <Form onSubmit={add.run} label="Watch a parcel">
        <div className="row">
          <Field
            label="Tracking number"
            value={trackingNumber}
            onChange={(e) => setTrackingNumber(e.target.value)}
            required
          />
          <Field label="Nickname" value={nickname} onChange={(e) => setNickname(e.target.value)} maxLength={60} />
        </div>
        <button type="submit" disabled={add.busy}>
          Watch parcel
        </button>
      </Form>
    </section>
  );
}

function Incoming() {
  const incoming = useLoad(() => api.get<{ items: IncomingParcel[] }>('/tracking/incoming'));
  return (
    <section className="panel" aria-labelledby="incoming-title">
      <h2 id="incoming-title">Incoming parcels</h2>
      <ErrorSummary error={incoming.error} />
      {incoming.loading ? <Loading what="incoming parcels" /> : null}
      {incoming.data && incoming.data.items.length === 0 ? (
        <p className="muted">
          No parcels addressed to you yet. Parcels show up here once you <Link to="/profile">verify your address</Link>.
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

interface RedeliveryView {
  confirmationNumber: string;
  trackingNumber: string;
  date: string;
  status: string;
  active: boolean;
}

/** Redeliveries still to come and Hold Mail not yet over: the requests the user may still act on. */
function ActiveRequests() {
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
      <h2 id="requests-title">Active requests</h2>
      <ErrorSummary error={requests.error} />
      {requests.loading ? <Loading what="your requests" /> : null}
      {empty ? <p className="muted">No redelivery or Hold Mail under way.</p> : null}
      <ul className="item-list">
        {requests.data?.redeliveries.map((r) => (
          <li key={r.confirmationNumber}>
            <div>
              Redelivery on {calendarDate(r.date)} ·{' '}
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
              Hold Mail {calendarDate(h.startDate)} to {calendarDate(h.endDate)}
              <div className="muted">
                {h.inForce ? 'holding your mail now' : humanize(h.status)} ·{' '}
                <span className="mono">{h.confirmationNumber}</span>
              </div>
            </div>
          </li>
        ))}
      </ul>
      <p>
        <Link to="/hold-mail">Hold Mail</Link>
      </p>
    </section>
  );
}

function UnreadNotices() {
  const inbox = useLoad(() => api.get<InboxPage>('/notifications?limit=5'));
  const unread = inbox.data?.items.filter((i) => !i.read) ?? [];
  return (
    <section className="panel" aria-labelledby="notices-title">
      <h2 id="notices-title">
        Unread notices{inbox.data ? <span className="count"> ({inbox.data.unreadCount})</span> : null}
      </h2>
      <ErrorSummary error={inbox.error} />
      {inbox.loading ? <Loading what="notices" /> : null}
      {inbox.data && unread.length === 0 ? <p className="muted">You are all caught up.</p> : null}
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
        <Link to="/inbox">Open the inbox</Link>
      </p>
    </section>
  );
}

export function DashboardPage() {
  return (
    <>
      <PageTitle title="Dashboard">Your dashboard</PageTitle>
      <div className="grid">
        <UnreadNotices />
        <ActiveRequests />
        <Watchlist />
        <Incoming />
      </div>
    </>
  );
}
