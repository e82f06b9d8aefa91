import { lazy, Suspense, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { api } from '../api/api-client';
import { describeError } from '../api/api-error';
import { StatusBadge, Timeline, type TrackingView } from '../components/timeline';
import { ErrorSummary, Loading, PageTitle, useLoad } from '../components/ui';
import { calendarDate, dateTime, humanize, parseTrackingNumbers } from '../lib/format';
import { useSessionUser } from '../session';
import { TrackingBox } from './home.page';
import { useTranslation } from 'react-i18next';

// Signed-in visitors only, and it brings the request schemas (zod, about 20 KB compressed): its own chunk, so
// an anonymous first visit downloads less (issue 20).
const ParcelActions = lazy(() => import('../components/parcel-actions').then((m) => ({ default: m.ParcelActions })));

type TrackingResult = ({ found: true } & TrackingView) | { trackingNumber: string; found: false; error?: string };

function WatchButton({ trackingNumber }: { trackingNumber: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<'idle' | 'busy' | 'done'>('idle');
  const [error, setError] = useState<string | null>(null);
  return (
    <div>
      <button
        type="button"
        disabled={state !== 'idle'}
        onClick={() => {
          setState('busy');
          api.post('/tracking/watchlist', { trackingNumber }).then(
            () => setState('done'),
            (e: unknown) => {
              setState('idle');
              setError(describeError(e).join('; '));
            },
          );
        }}
      >
        {state === 'done' ? t('track.watching') : t('track.watch')}
      </button>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function ResultCard({ result }: { result: TrackingResult }) {
  const { t } = useTranslation();
  const user = useSessionUser();
  return (
    <article className="panel tracking-result" aria-labelledby={`tn-${result.trackingNumber}`}>
      <h2 id={`tn-${result.trackingNumber}`} className="mono">
        {result.trackingNumber}
      </h2>
      {result.found ? (
        <>
          <p className="status-line">
            <StatusBadge category={result.statusCategory} />{' '}
            <span>{t(`status.${result.status}`, { defaultValue: humanize(result.status) })}</span>
          </p>
          <dl className="facts">
            {result.expectedDelivery ? (
              <>
                <dt>{t('track.expected')}</dt>
                <dd>{calendarDate(result.expectedDelivery.slice(0, 10))}</dd>
              </>
            ) : null}
            {result.destination ? (
              <>
                <dt>{t('track.destination')}</dt>
                <dd>
                  {result.destination.city}, {result.destination.state} {result.destination.zip}
                </dd>
              </>
            ) : null}
            {result.holdUntil ? (
              <>
                <dt>{t('track.heldUntil')}</dt>
                <dd>{dateTime(result.holdUntil)}</dd>
              </>
            ) : null}
            {result.service ? (
              <>
                <dt>{t('track.service')}</dt>
                <dd>{t(`service.${result.service}`, { defaultValue: humanize(result.service) })}</dd>
              </>
            ) : null}
          </dl>
          <Timeline events={result.events} />
          {user ? <WatchButton trackingNumber={result.trackingNumber} /> : null}
          {user ? (
            <Suspense fallback={null}>
              <ParcelActions trackingNumber={result.trackingNumber} />
            </Suspense>
          ) : null}
        </>
      ) : (
        <p className="alert alert-error">{result.error ?? t('track.noRecord')}</p>
      )}
    </article>
  );
}

export function TrackPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  // `/track/<number>` is the link the notification emails carry.
  const { trackingNumber } = useParams();
  const numbers = parseTrackingNumbers(trackingNumber ?? params.get('numbers') ?? '');
  const key = numbers.join(',');
  const { data, error, loading } = useLoad(async () => {
    if (numbers.length === 0) return [] as TrackingResult[];
    const body = await api.get<{ results: TrackingResult[] }>(`/tracking?numbers=${encodeURIComponent(key)}`);
    return body.results;
  }, [key]);
  return (
    <>
      {/* New numbers replace the search box that was used: the keyboard starts again at the heading. */}
      <PageTitle title={t('track.title')} focusKey={key}>
        {t('track.title')}
      </PageTitle>
      <TrackingBox key={key} initial={numbers.join('\n')} />
      <ErrorSummary error={error} />
      {numbers.length > 0 && loading ? <Loading what={t('track.loading')} /> : null}
      <div className="results" aria-live="polite">
        {data?.map((r) => (
          <ResultCard key={r.trackingNumber} result={r} />
        ))}
      </div>
    </>
  );
}
