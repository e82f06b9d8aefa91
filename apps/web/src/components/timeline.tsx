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
  if (!category) return <span className="badge">Not yet known</span>;
  return <span className={`badge badge-${category}`}>{humanize(category)}</span>;
}

/** The parcel's events, newest first, as an ordered list. */
export function Timeline({ events }: { events: TrackingEvent[] }) {
  if (events.length === 0)
    return <p className="muted">No scans yet: the label was created and the parcel awaits the carrier.</p>;
  return (
    <ol className="timeline" aria-label="Tracking history, newest first">
      {events.map((e, i) => (
        <li key={`${e.occurredAt}-${e.code}-${i}`} className={i === 0 ? 'current' : undefined}>
          <div className="timeline-title">{e.description || humanize(e.code)}</div>
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
