import type { OrderPlacedData } from '@app/contracts';
import { composeMessage, formatCents, type RenderedMessage, type TemplateContext } from './layout';

export function orderPlacedTemplate(data: OrderPlacedData, ctx: TemplateContext): RenderedMessage {
  return composeMessage(
    {
      subject: `Receipt for your order ${data.orderId}`,
      lines: [
        `Thank you for your order ${data.orderId}.`,
        ...data.items.map((i) => `${i.quantity} × ${i.name}: ${formatCents(i.priceCents * i.quantity)}`),
        `Total: ${formatCents(data.totalCents)}. It ships to ${data.shippingAddress.line1}, ${data.shippingAddress.city}, ${data.shippingAddress.state} ${data.shippingAddress.zip}.`,
      ],
      sms: `Postal Service: order ${data.orderId} placed, total ${formatCents(data.totalCents)}.`,
    },
    ctx,
  );
}
