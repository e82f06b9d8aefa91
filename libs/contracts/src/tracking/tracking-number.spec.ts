import {
  checkTrackingNumber,
  computeImpbCheckDigit,
  computeS10CheckDigit,
  isValidTrackingNumber,
} from './tracking-number';

describe('IMpb tracking numbers', () => {
  it('accepts the published example 9212391234567812345670', () => {
    expect(checkTrackingNumber('9212391234567812345670')).toEqual({
      valid: true,
      trackingNumber: '9212391234567812345670',
      kind: 'impb',
    });
  });

  it('computes the MOD 10 check digit of the published example body', () => {
    expect(computeImpbCheckDigit('921239123456781234567')).toBe(0);
  });

  it('computes a check digit other than 0 with weights 3,1,3… from the rightmost digit', () => {
    // 9*3 + 4*1 = 31 → (10 - 1) % 10 = 9
    expect(computeImpbCheckDigit('49')).toBe(9);
  });

  it('ignores spaces', () => {
    expect(checkTrackingNumber('9212 3912 3456 7812 3456 70')).toMatchObject({
      valid: true,
      trackingNumber: '9212391234567812345670',
    });
  });

  it('strips a 420 + ZIP5 routing prefix', () => {
    expect(checkTrackingNumber('42080202' + '9212391234567812345670')).toMatchObject({
      valid: true,
      trackingNumber: '9212391234567812345670',
    });
  });

  it('strips a 420 + ZIP9 routing prefix', () => {
    expect(checkTrackingNumber('420802021234' + '9212391234567812345670')).toMatchObject({
      valid: true,
      trackingNumber: '9212391234567812345670',
    });
  });

  it('refuses a wrong check digit with the expected one in the reason', () => {
    const result = checkTrackingNumber('9212391234567812345671');
    expect(result).toEqual({ valid: false, reason: expect.stringContaining('expected 0') });
  });

  it('refuses numbers of the wrong length or prefix', () => {
    expect(isValidTrackingNumber('921239123456781234')).toBe(false);
    expect(isValidTrackingNumber('8212391234567812345670')).toBe(false);
    expect(isValidTrackingNumber('96' + '12391234567812345670')).toBe(false);
  });

  it('accepts 20 and 21-digit numbers with a valid check digit', () => {
    const body20 = '9112345678901234567';
    const body21 = '93123456789012345678';
    expect(isValidTrackingNumber(body20 + computeImpbCheckDigit(body20))).toBe(true);
    expect(isValidTrackingNumber(body21 + computeImpbCheckDigit(body21))).toBe(true);
  });

  it('refuses a body that is not digits', () => {
    expect(() => computeImpbCheckDigit('12a')).toThrow();
  });
});

describe('UPU S10 tracking numbers', () => {
  it.each(['EA123456785US', 'RR473124829US'])('accepts the published example %s', (number) => {
    expect(checkTrackingNumber(number)).toEqual({ valid: true, trackingNumber: number, kind: 's10' });
  });

  it('upper-cases letters and ignores spaces', () => {
    expect(checkTrackingNumber('rr 473 124 829 us')).toMatchObject({ valid: true, trackingNumber: 'RR473124829US' });
  });

  it('maps a remainder giving 10 to 0 and 11 to 5', () => {
    // weights 8 6 4 2 3 5 9 7: 00000001 → 7 → 11 - 7 = 4; 00000000 → 0 → 11 → 5
    expect(computeS10CheckDigit('00000001')).toBe(4);
    expect(computeS10CheckDigit('00000000')).toBe(5);
    expect(computeS10CheckDigit('00000050')).toBe(0); // 45 ≡ 1 → 10 → 0
  });

  it('refuses a wrong check digit', () => {
    expect(checkTrackingNumber('EA123456784US')).toEqual({
      valid: false,
      reason: expect.stringContaining('expected 5'),
    });
  });

  it('refuses an unknown country code', () => {
    expect(checkTrackingNumber('EA123456785XX')).toEqual({ valid: false, reason: 'unknown country code XX' });
  });

  it('refuses a malformed number', () => {
    expect(isValidTrackingNumber('EA12345678US')).toBe(false);
    expect(isValidTrackingNumber('E1123456785US')).toBe(false);
    expect(isValidTrackingNumber('')).toBe(false);
    expect(isValidTrackingNumber('hello')).toBe(false);
  });
});
