import { parseBytes } from './parse-bytes';

describe('parseBytes', () => {
  it('reads body-parser style sizes', () => {
    expect(parseBytes('1mb')).toBe(1048576);
    expect(parseBytes('100kb')).toBe(102400);
    expect(parseBytes('512')).toBe(512);
  });

  it('rejects a size it cannot read', () => {
    expect(() => parseBytes('lots')).toThrow('Not a size');
  });
});
