import { OrderPlacedV1 } from '@app/contracts';
import { orderPlacedTemplate } from './order-placed.template';

const ctx = { publicUrl: 'https://portal.example/' };

describe('order email', () => {
  const data = {
    ...OrderPlacedV1.example,
    items: [
      { sku: 'FOREVER-SHEET-20', name: 'Forever stamps, sheet of 20', quantity: 2, priceCents: 1460 },
      { sku: 'RETIRED-SKU', name: 'Holiday stamps, sheet of 20', quantity: 1, priceCents: 1460 },
    ],
  };

  it("names the stamps in the reader's language, by SKU", () => {
    expect(orderPlacedTemplate(data, ctx).text).toContain('Forever stamps, sheet of 20');
    const spanish = orderPlacedTemplate(data, { ...ctx, language: 'es' });
    expect(spanish.text).toContain('Sellos Forever, pliego de 20');
    expect(spanish.text).not.toContain('Forever stamps, sheet of 20');
    expect(orderPlacedTemplate(data, { ...ctx, language: 'zh-Hans' }).html).toContain('Forever 永久邮票，20 枚一版');
  });

  it('keeps the name the order was placed with for a SKU the catalogue no longer has', () => {
    expect(orderPlacedTemplate(data, { ...ctx, language: 'es' }).text).toContain('Holiday stamps, sheet of 20');
  });
});
