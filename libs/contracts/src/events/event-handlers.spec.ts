import { createEnvelope } from '../envelope';
import { EventHandlers } from './event-handlers';
import { EmailVerifiedV1 } from './identity/email-verified.v1';
import { PhoneVerifiedV1 } from './identity/phone-verified.v1';

describe('EventHandlers', () => {
  const envelopeOf = (type: string, version: number, data: unknown) =>
    createEnvelope({ type, version, key: 'usr_1', data, source: 'test' });

  it("hands each contract's handler its data and envelope, by type and version", () => {
    const table = new EventHandlers<string>()
      .on(EmailVerifiedV1, (data, envelope) => `email ${data.email} in ${envelope.id}`)
      .on(PhoneVerifiedV1, (data) => `phone ${data.phone}`);
    const email = envelopeOf('EmailVerified', 1, { userId: 'usr_1', email: 'jane@example.com' });
    expect(table.dispatch(email)).toBe(`email jane@example.com in ${email.id}`);
    expect(table.dispatch(envelopeOf('PhoneVerified', 1, { userId: 'usr_1', phone: '+12025550123' }))).toBe(
      'phone +12025550123',
    );
  });

  it('answers undefined for an unknown type and for another version of a known one', () => {
    const table = new EventHandlers<string>().on(EmailVerifiedV1, () => 'handled');
    const v2 = envelopeOf('EmailVerified', 2, {});
    const other = envelopeOf('PasswordChanged', 1, {});
    expect([table.handles(v2), table.dispatch(v2)]).toEqual([false, undefined]);
    expect([table.handles(other), table.dispatch(other)]).toEqual([false, undefined]);
  });

  it('refuses a second handler of the same contract', () => {
    const table = new EventHandlers<void>().on(EmailVerifiedV1, () => undefined);
    expect(() => table.on(EmailVerifiedV1, () => undefined)).toThrow('EmailVerified v1');
  });
});
