import { MAX_IMPB_SERIAL } from './impb';
import { SerialPermutation } from './serial-permutation';

const KEY = 'unit-test serial permutation key, 32+ characters';

describe('SerialPermutation', () => {
  it.each([2, 3, 999, 1000, 1024, 9_999])('is a bijection of 1..%i (every value checked)', (size) => {
    const permutation = new SerialPermutation(KEY, size);
    const seen = new Set<number>();
    for (let counter = 1; counter <= size; counter++) {
      const serial = permutation.apply(counter);
      expect(serial).toBeGreaterThanOrEqual(1);
      expect(serial).toBeLessThanOrEqual(size);
      seen.add(serial);
      expect(permutation.invert(serial)).toBe(counter);
    }
    expect(seen.size).toBe(size);
  });

  it('gives consecutive counters unrelated serials over the real 7-digit range', () => {
    const permutation = new SerialPermutation(KEY, MAX_IMPB_SERIAL);
    const serials = Array.from({ length: 200 }, (_, i) => permutation.apply(i + 1));
    expect(new Set(serials).size).toBe(serials.length);
    const steps = serials.slice(1).map((s, i) => s - serials[i]);
    // A counter steps by 1; these jump around the whole range, up and down, never by a constant.
    expect(new Set(steps).size).toBe(steps.length);
    expect(steps.filter((d) => Math.abs(d) <= 1000)).toHaveLength(0);
    expect(steps.some((d) => d > 0) && steps.some((d) => d < 0)).toBe(true);
    expect(Math.min(...serials)).toBeLessThan(MAX_IMPB_SERIAL / 10);
    expect(Math.max(...serials)).toBeGreaterThan(MAX_IMPB_SERIAL * 0.9);
    for (const s of serials) expect(permutation.invert(s)).toBe(serials.indexOf(s) + 1);
  });

  it('depends on the key: another key gives another sequence', () => {
    const a = new SerialPermutation(KEY, MAX_IMPB_SERIAL);
    const b = new SerialPermutation(`${KEY}!`, MAX_IMPB_SERIAL);
    const differ = Array.from({ length: 50 }, (_, i) => a.apply(i + 1) !== b.apply(i + 1)).filter(Boolean);
    expect(differ.length).toBeGreaterThanOrEqual(49);
  });

  it('refuses counters outside the range', () => {
    const permutation = new SerialPermutation(KEY, 1000);
    expect(() => permutation.apply(0)).toThrow(/outside/);
    expect(() => permutation.apply(1001)).toThrow(/outside/);
  });
});
