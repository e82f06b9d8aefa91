import type { PickupScheduledData } from '@app/contracts';
import type { RenderedMessage, TemplateContext } from './layout';
import { pickupMessage } from './pickup-message';

export function pickupScheduledTemplate(data: PickupScheduledData, ctx: TemplateContext): RenderedMessage {
  return pickupMessage('pickup_scheduled', data, ctx);
}
