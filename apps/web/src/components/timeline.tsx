import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { dateTime, humanize } from '../lib/format';
import type { ApiSchemas } from '../api/types';

export type TrackingEvent = ApiSchemas['TrackingEventView'];

export type TrackingView = ApiSchemas['TrackingView'];

export function StatusBadge({ category }: { category: string | null | undefined }) {
  const { t } = useTranslation();
  if (!category) return <span className="badge">{t('status.unknown')}</span>;
  return (
    <span className={`badge badge-${category}`}>{t(`status.${category}`, { defaultValue: humanize(category) })}</span>
  );
}

/**
 * The parcel's events, newest first, as an ordered list. Each item is named by its status, place and time
 * (aria-labelledby) so a screen reader's list navigation says the whole event; the newest is marked in
 * words as well as by the coloured dot (1.4.1).
 */
export function Timeline({ events }: { events: TrackingEvent[] }) {
  const { t } = useTranslation();
  const id = useId();
  if (events.length === 0) return <p className="muted">{t('track.noScans')}</p>;
  return (
    // role=list: Safari drops the list semantics of a list without bullets.
    <ol className="timeline" role="list" aria-label={t('track.history')}>
      {events.map((e, i) => {
        const item = `${id}-${i}`;
        const place = e.location
          ? `${e.facility ? `${e.facility}, ` : ''}${e.location.city}, ${e.location.state} ${e.location.zip}`
          : '';
        return (
          <li
            key={`${e.occurredAt}-${e.code}-${i}`}
            className={i === 0 ? 'current' : undefined}
            aria-current={i === 0 ? 'step' : undefined}
            aria-labelledby={[`${item}-status`, place ? `${item}-place` : '', `${item}-time`].filter(Boolean).join(' ')}
          >
            <div className="timeline-title">
              <span id={`${item}-status`}>
                {t(`scan.${e.code}`, { defaultValue: e.description || humanize(e.code) })}
              </span>
              {i === 0 ? <span className="badge badge-latest">{t('timeline.latest')}</span> : null}
            </div>
            <div className="muted">
              <time id={`${item}-time`} dateTime={e.occurredAt}>
                {dateTime(e.occurredAt)}
              </time>
              {place ? (
                <>
                  {' · '}
                  <span id={`${item}-place`}>{place}</span>
                </>
              ) : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
