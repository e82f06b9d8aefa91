import type { OrderPlacedData } from '@app/contracts';
import { DEFAULT_LANGUAGE } from '@app/contracts/i18n/languages';
import { stampText } from '@app/platform';
import { composeMessage, formatCents, textsFor, type RenderedMessage, type TemplateContext } from './layout';

export function orderPlacedTemplate(data: OrderPlacedData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  const { shippingAddress: a } = data;
  const total = formatCents(data.totalCents, ctx);
  return composeMessage(
    {
      subject: t('notifications:order_placed_subject', { orderId: data.orderId }),
      lines: [
        t('notifications:order_placed_thanks', { orderId: data.orderId }),
        ...data.items.map((i) =>
          t('notifications:order_placed_item', {
            quantity: i.quantity,
            // The event carries the English name; the reader's is looked up by SKU.
            name: stampText(i.sku, 'name', i.name, ctx.language ?? DEFAULT_LANGUAGE),
            price: formatCents(i.priceCents * i.quantity, ctx),
          }),
        ),
        t('notifications:order_placed_total', { total, address: `${a.line1}, ${a.city}, ${a.state} ${a.zip}` }),
      ],
      sms: t('notifications:order_placed_sms', { orderId: data.orderId, total }),
    },
    ctx,
  );
}
