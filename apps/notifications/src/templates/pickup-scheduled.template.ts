import type { PickupScheduledData } from '@app/contracts';
import { composeMessage, type RenderedMessage, type TemplateContext } from './layout';

export function pickupScheduledTemplate(data: PickupScheduledData, ctx: TemplateContext): RenderedMessage {
  return composeMessage(
    {
      subject: `Pickup ${data.confirmationNumber} is scheduled for ${data.date}`,
      lines: [
        `Your carrier pickup ${data.confirmationNumber} is scheduled for ${data.date} at ${data.address.line1}, ${data.address.city}, ${data.address.state} ${data.address.zip}.`,
        `Leave the packages at: ${data.packageLocation.replace(/_/g, ' ')}.`,
      ],
      sms: `Postal Service: pickup ${data.confirmationNumber} scheduled for ${data.date}.`,
    },
    ctx,
  );
}
