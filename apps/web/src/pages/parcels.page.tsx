import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import { api } from '../api/api-client';
import { StatusBadge } from '../components/timeline';
import { ErrorSummary, Loading, PageTitle, useLoad } from '../components/ui';
import { dateTime } from '../lib/format';
import { readLastKnown } from '../offline/last-known';
import { useSessionUser } from '../session';
import { Watchlist, type WatchlistEntry } from './dashboard.page';

const subscribeOnline = (changed: () => void) => {
  window.addEventListener('online', changed);
  window.addEventListener('offline', changed);
  return () => {
    window.removeEventListener('online', changed);
    window.removeEventListener('offline', changed);
  };
};

/** Whether the browser says it is online (it re-renders when that changes). */
function useOnline(): boolean {
  return useSyncExternalStore(subscribeOnline, () => navigator.onLine);
}

/** The watchlist as the service worker kept it from its last answer (issue 20): read-only, with its time. */
function LastKnownParcels() {
  const { t } = useTranslation();
  const kept = useLoad(() => readLastKnown<{ items: WatchlistEntry[] }>());
  return (
    <section className="panel" aria-labelledby="last-known-title">
      <h2 id="last-known-title">{t('dashboard.watchlist')}</h2>
      <ErrorSummary error={kept.error} />
      {kept.loading ? <Loading what={t('dashboard.loadingWatchlist')} /> : null}
      {kept.data === null ? <p role="status">{t('parcels.nothingKept')}</p> : null}
      {kept.data ? (
        <>
          <p role="status" className="offline-note">
            {t('parcels.unreachable')}{' '}
            <strong>{t('parcels.lastUpdated', { time: dateTime(kept.data.storedAt.toISOString()) })}</strong>
          </p>
          {kept.data.data.items.length === 0 ? <p className="muted">{t('dashboard.notWatching')}</p> : null}
          <ul className="item-list">
            {kept.data.data.items.map((w) => (
              <li key={w.trackingNumber}>
                <div>
                  <span className="mono">{w.trackingNumber}</span>
                  {w.nickname ? <span> · {w.nickname}</span> : null}
                  <div>
                    <StatusBadge category={w.statusCategory ?? w.status} />
                    {w.lastEventAt ? (
                      <span className="muted"> {t('dashboard.updated', { date: dateTime(w.lastEventAt) })}</span>
                    ) : null}
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

/**
 * "My parcels": the watchlist, live when the session and the network are there; otherwise the statuses the
 * service worker kept on this device with the time they were last updated, as long as this browser still holds
 * a session (a refused refresh or a logout deletes them; see offline/last-known.ts).
 */
export function ParcelsPage() {
  const { t } = useTranslation();
  const user = useSessionUser();
  const online = useOnline();
  // No user but a session may exist: the reload could not reach the server to restore it.
  if (!user && !api.session.maySignIn) return <Navigate to="/login?next=%2Fparcels" replace />;
  return (
    <>
      <PageTitle title={t('parcels.title')}>{t('parcels.title')}</PageTitle>
      {user && online ? <Watchlist /> : <LastKnownParcels />}
    </>
  );
}
