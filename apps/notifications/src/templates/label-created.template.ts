import type { LabelCreatedData } from '@app/contracts';
import {
  composeMessage,
  formatCents,
  textsFor,
  trackingLink,
  type RenderedMessage,
  type TemplateContext,
} from './layout';

export function labelCreatedTemplate(data: LabelCreatedData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  const price = formatCents(data.priceCents, ctx);
  const to = [data.to.name, `${data.to.city}, ${data.to.state} ${data.to.zip}`].filter(Boolean).join(' ');
  // A prepaid return label costs nothing yet: it is charged when the postal service first scans it.
  if (data.returnOf) {
    return composeMessage(
      {
        subject: t('notifications:return_label_subject', { trackingNumber: data.trackingNumber }),
        lines: [
          t('notifications:return_label_line', {
            service: t(`notifications:service_${data.service}`),
            fromCity: data.from.city,
            fromState: data.from.state,
            to,
          }),
          t('notifications:return_label_charge', { price }),
          t('notifications:label_created_tracking', { trackingNumber: data.trackingNumber }),
        ],
        link: { label: t('notifications:track_parcel'), url: trackingLink(ctx.publicUrl, data.trackingNumber) },
        sms: t('notifications:return_label_sms', { trackingNumber: data.trackingNumber, price }),
      },
      ctx,
    );
  }
  return composeMessage(
    {
      subject: t('notifications:label_created_subject', { trackingNumber: data.trackingNumber }),
      lines: [
        t('notifications:label_created_line', {
          service: t(`notifications:service_${data.service}`),
          price,
          zone: data.zone,
          count: data.deliveryDays,
        }),
        t('notifications:label_created_route', { fromCity: data.from.city, fromState: data.from.state, to }),
        t('notifications:label_created_tracking', { trackingNumber: data.trackingNumber }),
      ],
      link: { label: t('notifications:track_parcel'), url: trackingLink(ctx.publicUrl, data.trackingNumber) },
      sms: t('notifications:label_created_sms', { trackingNumber: data.trackingNumber, price }),
    },
    ctx,
  );
}
