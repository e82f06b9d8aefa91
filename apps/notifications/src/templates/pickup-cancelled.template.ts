import type { PickupCancelledData } from '@app/contracts';
import { composeMessage, type RenderedMessage, type TemplateContext } from './layout';

export function pickupCancelledTemplate(data: PickupCancelledData, ctx: TemplateContext): RenderedMessage {
  return composeMessage(
    {
      subject: `Pickup ${data.confirmationNumber} was cancelled`,
      lines: [`Your carrier pickup ${data.confirmationNumber} for ${data.date} was cancelled.`],
      sms: `Postal Service: pickup ${data.confirmationNumber} for ${data.date} cancelled.`,
    },
    ctx,
  );
}
