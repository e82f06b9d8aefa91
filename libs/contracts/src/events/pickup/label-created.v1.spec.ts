import { LabelCreatedV1 } from './label-created.v1';

describe('LabelCreated v1 schema', () => {
  const parse = (patch: Record<string, unknown>) =>
    LabelCreatedV1.schema.safeParse({ ...LabelCreatedV1.example, ...patch });

  it('accepts the example and normalises the tracking number', () => {
    const spaced = LabelCreatedV1.example.trackingNumber.replace(/(\d{4})/g, '$1 ');
    const result = parse({ trackingNumber: spaced });
    expect(result.success && result.data.trackingNumber).toBe(LabelCreatedV1.example.trackingNumber);
  });

  it('refuses a tracking number with a wrong check digit, naming the reason', () => {
    const tn = LabelCreatedV1.example.trackingNumber;
    const result = parse({ trackingNumber: tn.slice(0, -1) + ((Number(tn.at(-1)) + 1) % 10) });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      path: ['trackingNumber'],
      message: expect.stringContaining('check digit'),
    });
  });

  it('refuses a createdAt that is not an ISO-8601 instant', () => {
    for (const createdAt of ['yesterday', '2025-13-45T00:00:00Z', '']) {
      const result = parse({ createdAt });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0].path).toEqual(['createdAt']);
    }
  });
});
