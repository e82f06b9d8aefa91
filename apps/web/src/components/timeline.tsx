import { useTranslation } from 'react-i18next';
import { dateTime, humanize } from '../lib/format';

export interface TrackingEvent {
  code: string;
  description: string;
  occurredAt: string;
  location?: { city: string; state: string; zip: string };
  facility?: string;
}

export interface TrackingView {
  trackingNumber: string;
  status: string;
  statusCategory: string;
  expectedDelivery?: string;
  service?: string;
  destination?: { city: string; state: string; zip: string };
  /** while the post office holds the parcel: when it goes back to the sender */
  holdUntil?: string;
  events: TrackingEvent[];
}

export function StatusBadge({ category }: { category: string | null | undefined }) {
  const { t } = useTranslation();
  if (!category) return <span className="badge">{t('status.unknown')}</span>;
  return (
    <span className={`badge badge-${category}`}>{t(`status.${category}`, { defaultValue: humanize(category) })}</span>
  );
}

/** The parcel's events, newest first, as an ordered list. */
export function Timeline({ events }: { events: TrackingEvent[] }) {
  const { t } = useTranslation();
  if (events.length === 0) return <p className="muted">{t('track.noScans')}</p>;
  return (
    <ol className="timeline" aria-label={t('track.history')}>
      {events.map((e, i) => (
        <li key={`${e.occurredAt}-${e.code}-${i}`} className={i === 0 ? 'current' : undefined}>
          <div className="timeline-title">
            {t(`scan.${e.code}`, { defaultValue: e.description || humanize(e.code) })}
          </div>
          <div className="muted">
            <time dateTime={e.occurredAt}>{dateTime(e.occurredAt)}</time>
            {e.location
              ? ` · ${e.facility ? `${e.facility}, ` : ''}${e.location.city}, ${e.location.state} ${e.location.zip}`
              : ''}
          </div>
        </li>
      ))}
    </ol>
  );
}
