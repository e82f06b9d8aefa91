import type { PickupUpdatedData } from '@app/contracts';
import { composeMessage, type RenderedMessage, type TemplateContext } from './layout';

export function pickupUpdatedTemplate(data: PickupUpdatedData, ctx: TemplateContext): RenderedMessage {
  return composeMessage(
    {
      subject: `Pickup ${data.confirmationNumber} was changed`,
      lines: [
        `Your carrier pickup ${data.confirmationNumber} is now scheduled for ${data.date} at ${data.address.line1}, ${data.address.city}, ${data.address.state} ${data.address.zip}.`,
        `Leave the packages at: ${data.packageLocation.replace(/_/g, ' ')}.`,
      ],
      sms: `Postal Service: pickup ${data.confirmationNumber} changed, now on ${data.date}.`,
    },
    ctx,
  );
}
