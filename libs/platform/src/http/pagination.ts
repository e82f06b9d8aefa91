import { BadRequestException } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `?limit=&cursor=` of every list (API.md); a limit outside 1..100 or a long cursor is a 400. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'the nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

/** One page of a list: `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** An opaque cursor (base64url) of a position written as a string. */
export function encodeCursor(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64url');
}

/** The position in a cursor; undefined for none; a 400 for anything `encodeCursor` did not make. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const value = Buffer.from(cursor, 'base64url').toString('utf8');
  if (value === '' || encodeCursor(value) !== cursor) throw new BadRequestException('cursor is malformed');
  return value;
}

/** A position in a newest-first list: the last item's creation time and id. */
export interface TimeCursor {
  createdAt: Date;
  id: string;
}

export function encodeTimeCursor(position: TimeCursor): string {
  return encodeCursor(`${position.createdAt.toISOString()}|${position.id}`);
}

export function decodeTimeCursor(cursor: string | undefined): TimeCursor | undefined {
  const value = decodeCursor(cursor);
  if (value === undefined) return undefined;
  const [iso, id, ...rest] = value.split('|');
  const createdAt = new Date(iso ?? '');
  if (!id || rest.length > 0 || Number.isNaN(createdAt.getTime())) {
    throw new BadRequestException('cursor is malformed');
  }
  return { createdAt, id };
}

/** A Mongo filter for the items after the cursor in (createdAt desc, _id desc) order. */
export function afterTimeCursor(cursor: TimeCursor | undefined): Record<string, unknown> {
  if (!cursor) return {};
  return {
    $or: [{ createdAt: { $lt: cursor.createdAt } }, { createdAt: cursor.createdAt, _id: { $lt: cursor.id } }],
  };
}

/**
 * The page of rows read with `limit + 1` (the extra row only tells that more follow), its
 * `nextCursor` made from the last row kept.
 */
export function pageOf<R, T = R>(
  rows: readonly R[],
  limit: number,
  cursorOf: (last: R) => string,
  view: (row: R) => T = (row) => row as unknown as T,
): Page<T> {
  const kept = rows.slice(0, limit);
  const last = kept.at(-1);
  return { items: kept.map(view), nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}
