import { createEnvelope, envelopeSchema } from './envelope';

describe('createEnvelope', () => {
  it('fills id, time and correlation id and passes the envelope schema', () => {
    const envelope = createEnvelope({ type: 'Sample', version: 1, key: 'u-1', data: { a: 1 }, source: 'auth' });
    expect(envelopeSchema.safeParse(envelope).success).toBe(true);
    expect(envelope.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(envelope.correlationId).toEqual(expect.any(String));
  });

  it('keeps the id, time and correlation id it is given', () => {
    const occurredAt = new Date('2026-01-02T03:04:05.000Z');
    const envelope = createEnvelope({
      id: '0f8fad5b-d9cb-469f-a165-70867728950e',
      type: 'Sample',
      version: 2,
      key: 'u-1',
      data: null,
      source: 'auth',
      correlationId: 'req-9',
      occurredAt,
    });
    expect(envelope).toMatchObject({
      id: '0f8fad5b-d9cb-469f-a165-70867728950e',
      occurredAt: '2026-01-02T03:04:05.000Z',
      correlationId: 'req-9',
      version: 2,
    });
  });
});
