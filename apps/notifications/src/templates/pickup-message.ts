import type { PickupScheduledData } from '@app/contracts';
import { composeMessage, formatDay, textsFor, type RenderedMessage, type TemplateContext } from './layout';

/**
 * A pickup booked or changed: its confirmation number, day, address and where the packages wait, in
 * the texts of `kind` (`<kind>_subject`, `_line`, `_sms` in the `notifications` namespace).
 */
export function pickupMessage(
  kind: 'pickup_scheduled' | 'pickup_updated',
  data: PickupScheduledData,
  ctx: TemplateContext,
): RenderedMessage {
  const t = textsFor(ctx);
  const { address: a } = data;
  const values = {
    confirmationNumber: data.confirmationNumber,
    date: formatDay(data.date, ctx),
    address: `${a.line1}, ${a.city}, ${a.state} ${a.zip}`,
  };
  return composeMessage(
    {
      subject: t(`notifications:${kind}_subject`, values),
      lines: [
        t(`notifications:${kind}_line`, values),
        t('notifications:pickup_location', { location: t(`notifications:${data.packageLocation}_location`) }),
      ],
      sms: t(`notifications:${kind}_sms`, values),
    },
    ctx,
  );
}
