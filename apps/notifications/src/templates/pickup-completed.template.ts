import type { PickupCompletedData } from '@app/contracts';
import { composeMessage, trackingLink, type RenderedMessage, type TemplateContext } from './layout';

export function pickupCompletedTemplate(data: PickupCompletedData, ctx: TemplateContext): RenderedMessage {
  return composeMessage(
    {
      subject: `Pickup ${data.confirmationNumber} is complete`,
      lines: [`Your packages were picked up on ${data.date} (pickup ${data.confirmationNumber}).`],
      link: { label: 'Track your parcel', url: trackingLink(ctx.publicUrl, data.trackingNumber) },
      sms: `Postal Service: pickup ${data.confirmationNumber} complete.`,
    },
    ctx,
  );
}
