import type { PickupMissedData } from '@app/contracts';
import { composeMessage, type RenderedMessage, type TemplateContext } from './layout';

export function pickupMissedTemplate(data: PickupMissedData, ctx: TemplateContext): RenderedMessage {
  return composeMessage(
    {
      subject: `Pickup ${data.confirmationNumber} was missed`,
      lines: [
        `We could not complete your carrier pickup ${data.confirmationNumber} on ${data.date}.`,
        'You can schedule a new pickup in the portal.',
      ],
      sms: `Postal Service: pickup ${data.confirmationNumber} on ${data.date} was missed. Please reschedule.`,
    },
    ctx,
  );
}
