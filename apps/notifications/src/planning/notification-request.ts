import type { NotificationChannel, NotificationKind } from '@app/contracts';
import type { RenderedMessage, TemplateContext } from '../templates/layout';

/** Someone to tell; addresses given here (by the event) win over the contact projection. */
export interface Audience {
  userId: string;
  email?: string;
  /** a phone the event vouches for (a verified phone, or the one being verified) */
  phone?: string;
  firstName?: string;
}

/** One thing to tell some users, before preferences and addresses are applied. */
export interface NotificationRequest {
  /** the event (or support message) that caused it: part of every message id */
  sourceId: string;
  sourceType: string;
  /** the source event's correlation id, carried by the NotificationSent events of its messages */
  correlationId?: string;
  /**
   * When what is told happened: the scan for parcel events (their `data.occurredAt`), else the event's
   * `occurredAt`. Delivery measures `notifications_event_to_sent_seconds` from it.
   */
  sourceOccurredAt?: Date;
  kind: NotificationKind;
  /** `org:<id>` entries stand for the organisation's members (apps/notifications/src/orgs) */
  audience: Audience[];
  /** for an organisation's label or pickup: the member who acted (told first, as its setting says) */
  actedBy?: string;
  /** when set, these channels are used whatever the preferences say (one-time codes) */
  fixedChannels?: NotificationChannel[];
  render(ctx: TemplateContext): RenderedMessage;
}
