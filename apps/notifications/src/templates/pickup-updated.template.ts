import type { PickupUpdatedData } from '@app/contracts';
import type { RenderedMessage, TemplateContext } from './layout';
import { pickupMessage } from './pickup-message';

export function pickupUpdatedTemplate(data: PickupUpdatedData, ctx: TemplateContext): RenderedMessage {
  return pickupMessage('pickup_updated', data, ctx);
}
