import { EmailVerifiedV1 } from '@app/contracts';
import { RequestContext } from '@app/platform';
import { eventEnvelope } from './event-envelope';

describe('eventEnvelope', () => {
  let n = 0;
  const from = { source: 'auth', uuid: () => `id-${++n}`, now: () => new Date('2026-12-06T12:00:00.000Z') };
  const data = { userId: 'usr_1', email: 'jane.doe@example.com' };

  beforeEach(() => (n = 0));

  it("takes the type and version from the definition, and the source's id and time", () => {
    expect(eventEnvelope(from, EmailVerifiedV1, 'usr_1', data)).toMatchObject({
      id: 'id-1',
      type: 'EmailVerified',
      version: 1,
      key: 'usr_1',
      data,
      source: 'auth',
      occurredAt: '2026-12-06T12:00:00.000Z',
    });
  });

  it("carries the current request's id as the correlation id, and a new one outside a request", () => {
    const inRequest = RequestContext.run('req-42', () => eventEnvelope(from, EmailVerifiedV1, 'usr_1', data));
    expect(inRequest.correlationId).toBe('req-42');
    const outside = eventEnvelope(from, EmailVerifiedV1, 'usr_1', data);
    expect(outside.correlationId).toBe('id-3');
    expect(outside.id).toBe('id-2');
  });

  it('lets an event fix its own id, cause and time', () => {
    const at = new Date('2026-12-01T08:30:00.000Z');
    const fixed = RequestContext.run('req-42', () =>
      eventEnvelope(from, EmailVerifiedV1, 'usr_1', data, { id: 'reply-7', correlationId: 'scan-9', occurredAt: at }),
    );
    expect(fixed).toMatchObject({ id: 'reply-7', correlationId: 'scan-9', occurredAt: at.toISOString() });
    expect(n).toBe(0);
  });
});
