import { locateZip } from './zip-locator';
import { zoneBetween } from './zones';

function zone(from: string, to: string): number {
  const a = locateZip(from);
  const b = locateZip(to);
  if (!a || !b) throw new Error('test ZIP missing from the database');
  return zoneBetween(a, b);
}

describe('zones', () => {
  it('gives zone 1 within one ZIP3 area', () => {
    expect(zone('60601', '60614')).toBe(1);
  });

  it('gives a low zone to a nearby ZIP3 and zone 8 across the country', () => {
    expect(zone('60601', '60540')).toBeLessThanOrEqual(2);
    expect(zone('10001', '90210')).toBe(8);
    expect(zone('10001', '99501')).toBe(8);
  });

  it('rises with distance', () => {
    const chicagoTo = ['60540', '62701', '55401', '80202', '90210'].map((z) => zone('60601', z));
    expect([...chicagoTo].sort((a, b) => a - b)).toEqual(chicagoTo);
    expect(chicagoTo[0]).toBeLessThan(chicagoTo[4]);
  });

  it('is symmetric', () => {
    expect(zone('80202', '33101')).toBe(zone('33101', '80202'));
  });

  it('gives zone 9 to and from territories', () => {
    expect(zone('60601', '00601')).toBe(9);
    expect(zone('96910', '10001')).toBe(9);
  });

  it('accepts ZIP+4 and refuses unknown or malformed ZIPs', () => {
    expect(locateZip('60601-1234')?.zip5).toBe('60601');
    expect(locateZip('00000')).toBeUndefined();
    expect(locateZip('99999')).toBeUndefined();
    expect(locateZip('6060')).toBeUndefined();
    expect(locateZip('abcde')).toBeUndefined();
  });
});
