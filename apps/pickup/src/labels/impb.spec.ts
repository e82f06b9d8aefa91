import { checkTrackingNumber, computeImpbCheckDigit } from '@app/contracts';
import { buildImpbPic, formatPicForHumans, impbBarcodeText } from './impb';

describe('IMpb package identification code', () => {
  it('builds 22 digits: 94, the service type code, the mailer id, the serial and a MOD 10 check digit', () => {
    const pic = buildImpbPic('priority', '900000001', 42);
    expect(pic).toMatch(/^\d{22}$/);
    expect(pic.slice(0, 2)).toBe('94');
    expect(pic.slice(2, 5)).toBe('001');
    expect(pic.slice(5, 14)).toBe('900000001');
    expect(pic.slice(14, 21)).toBe('0000042');
    expect(Number(pic[21])).toBe(computeImpbCheckDigit(pic.slice(0, 21)));
  });

  it('uses a different service type code per service', () => {
    const codes = (['priority_express', 'priority', 'ground_advantage'] as const).map((s) =>
      buildImpbPic(s, '900000001', 1).slice(2, 5),
    );
    expect(new Set(codes).size).toBe(3);
    expect(codes[0]).toBe('701');
  });

  it('computes the check digit by hand-checkable MOD 10 (weights 3,1 from the right)', () => {
    // body 940019000000010000001: odd positions from the right weigh 3 → sum 47 → check (10 − 7) = 3
    expect(buildImpbPic('priority', '900000001', 1)).toBe('9400190000000100000013');
  });

  it('passes the tracking service validation and is unique per serial', () => {
    const pics = new Set<string>();
    for (let serial = 1; serial <= 2000; serial++) {
      const pic = buildImpbPic('ground_advantage', '900000001', serial);
      expect(checkTrackingNumber(pic).valid).toBe(true);
      pics.add(pic);
    }
    expect(pics.size).toBe(2000);
  });

  it('refuses a serial that does not fit and a malformed mailer id', () => {
    expect(() => buildImpbPic('priority', '900000001', 10_000_000)).toThrow();
    expect(() => buildImpbPic('priority', '9000', 1)).toThrow();
  });

  it('encodes the barcode as (420) ZIP5 then (94) and the rest of the PIC', () => {
    const pic = buildImpbPic('priority', '900000001', 7);
    expect(impbBarcodeText('80202', pic)).toBe(`(420)80202(94)${pic.slice(2)}`);
    expect(formatPicForHumans('9400100000000000000001')).toBe('9400 1000 0000 0000 0000 01');
  });
});
