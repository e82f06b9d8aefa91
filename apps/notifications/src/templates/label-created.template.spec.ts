import { LabelCreatedV1 } from '@app/contracts';
import { labelCreatedTemplate } from './label-created.template';
import type { TemplateContext } from './layout';

const ctx: TemplateContext = { firstName: 'Jane', timeZone: 'America/Denver', publicUrl: 'https://portal.example/' };

describe('label-created template', () => {
  it('is a receipt for a bought label', () => {
    const message = labelCreatedTemplate(LabelCreatedV1.example, ctx);
    expect(message.subject).toBe(`Receipt for your shipping label ${LabelCreatedV1.example.trackingNumber}`);
    expect(message.text).toContain('You bought a Priority Mail label for $10.65');
  });

  it('tells that a return label is charged only on its first scan, not that it was bought', () => {
    const message = labelCreatedTemplate({ ...LabelCreatedV1.example, returnOf: 'outbound-1' }, ctx);
    expect(message.subject).toBe(`Your return label ${LabelCreatedV1.example.trackingNumber}`);
    expect(message.text).toContain('Nothing is charged now: $10.65 is charged when the parcel is first scanned');
    expect(message.text).not.toContain('You bought');
  });
});
