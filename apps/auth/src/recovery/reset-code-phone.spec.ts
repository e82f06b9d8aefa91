import { resetCodePhone } from './recovery.service';

describe('resetCodePhone', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  const days = (n: number) => new Date(now.getTime() - n * 24 * 60 * 60_000);
  const phone = '+12025550123';

  it('leaves out a phone verified within the last 7 days (the code goes by email only)', () => {
    expect(resetCodePhone({ phone, phoneVerified: true, phoneVerifiedAt: days(0) }, now)).toBeUndefined();
    expect(resetCodePhone({ phone, phoneVerified: true, phoneVerifiedAt: days(6.99) }, now)).toBeUndefined();
  });

  it('sends to a phone verified 7 days ago or more', () => {
    expect(resetCodePhone({ phone, phoneVerified: true, phoneVerifiedAt: days(7) }, now)).toBe(phone);
    expect(resetCodePhone({ phone, phoneVerified: true, phoneVerifiedAt: days(400) }, now)).toBe(phone);
  });

  it('never sends to an unverified phone', () => {
    expect(resetCodePhone({ phone, phoneVerified: false, phoneVerifiedAt: days(30) }, now)).toBeUndefined();
    expect(resetCodePhone({ phoneVerified: false }, now)).toBeUndefined();
  });

  it('treats a phone verified before the time was recorded as verified long ago', () => {
    expect(resetCodePhone({ phone, phoneVerified: true }, now)).toBe(phone);
  });
});
