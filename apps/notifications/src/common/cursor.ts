import { BadRequestException } from '@nestjs/common';

/** A position in a newest-first list: the last item's creation time and id. */
export interface Cursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(value: string | undefined): Cursor | undefined {
  if (value === undefined || value === '') return undefined;
  const [iso, id, ...rest] = Buffer.from(value, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso ?? '');
  if (!id || rest.length > 0 || Number.isNaN(createdAt.getTime())) {
    throw new BadRequestException('cursor is malformed');
  }
  return { createdAt, id };
}

/** A filter for the items after the cursor in (createdAt desc, _id desc) order. */
export function afterCursor(cursor: Cursor | undefined): Record<string, unknown> {
  if (!cursor) return {};
  return {
    $or: [{ createdAt: { $lt: cursor.createdAt } }, { createdAt: cursor.createdAt, _id: { $lt: cursor.id } }],
  };
}
