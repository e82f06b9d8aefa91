import type { ParcelStatusChangedData } from '@app/contracts';
import {
  composeMessage,
  formatDateTime,
  scanDescription,
  textsFor,
  trackingLink,
  type RenderedMessage,
  type TemplateContext,
} from './layout';

export function parcelStatusChangedTemplate(data: ParcelStatusChangedData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  const link = trackingLink(ctx.publicUrl, data.trackingNumber);
  const description = scanDescription(data.code, data.description, ctx);
  return composeMessage(
    {
      subject: t('notifications:parcel_status_subject', { trackingNumber: data.trackingNumber, description }),
      lines: [
        t('notifications:parcel_event_line', {
          description,
          city: data.location.city,
          state: data.location.state,
          when: formatDateTime(data.occurredAt, ctx.timeZone, ctx),
        }),
      ],
      link: { label: t('notifications:track_parcel'), url: link },
      sms: t('notifications:parcel_event_sms', { trackingNumber: data.trackingNumber, description, link }),
    },
    ctx,
  );
}
