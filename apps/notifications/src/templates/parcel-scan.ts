import type { ParcelAlertData, ParcelStatusChangedData } from '@app/contracts';
import { formatDateTime, parcelMessage, scanDescription, type RenderedMessage, type TemplateContext } from './layout';

/** A scan of a parcel (an alert the user asked for, or a status change): what, where and when, under `subjectKey`. */
export function parcelScanMessage(
  subjectKey: string,
  data: ParcelAlertData | ParcelStatusChangedData,
  ctx: TemplateContext,
): RenderedMessage {
  const { trackingNumber } = data;
  const description = scanDescription(data.code, data.description, ctx);
  return parcelMessage(trackingNumber, ctx, (t, link) => ({
    subject: t(subjectKey, { trackingNumber, description }),
    lines: [
      t('notifications:parcel_event_line', {
        description,
        city: data.location.city,
        state: data.location.state,
        when: formatDateTime(data.occurredAt, ctx.timeZone, ctx),
      }),
    ],
    sms: t('notifications:parcel_event_sms', { trackingNumber, description, link }),
  }));
}
