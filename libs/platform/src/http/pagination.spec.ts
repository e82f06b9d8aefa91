import { BadRequestException } from '@nestjs/common';
import { decodeCursor, decodeTimeCursor, encodeCursor, encodeTimeCursor, pageOf } from './pagination';

describe('pagination', () => {
  it('gives back the position a cursor was made from', () => {
    expect(decodeCursor(encodeCursor('2030-01-01|9400111899223197428490'))).toBe('2030-01-01|9400111899223197428490');
    const at = { createdAt: new Date('2030-01-02T03:04:05.000Z'), id: 'abc' };
    expect(decodeTimeCursor(encodeTimeCursor(at))).toEqual(at);
    expect(decodeCursor(undefined)).toBeUndefined();
    expect(decodeTimeCursor('')).toBeUndefined();
  });

  it('refuses a cursor it did not make with a 400', () => {
    expect(() => decodeCursor('not base64url!')).toThrow(BadRequestException);
    expect(() => decodeTimeCursor(encodeCursor('yesterday|abc'))).toThrow(BadRequestException);
    expect(() => decodeTimeCursor(encodeCursor('2030-01-01T00:00:00.000Z'))).toThrow(BadRequestException);
  });

  it('keeps limit rows and points the next cursor at the last one only when more follow', () => {
    const rows = [1, 2, 3];
    expect(pageOf(rows, 2, String)).toEqual({ items: [1, 2], nextCursor: '2' });
    expect(pageOf(rows, 3, String)).toEqual({ items: [1, 2, 3], nextCursor: null });
    expect(pageOf(rows, 2, String, (n) => n * 10)).toEqual({ items: [10, 20], nextCursor: '2' });
  });
});
