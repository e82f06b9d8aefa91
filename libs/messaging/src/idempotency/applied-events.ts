import { Schema } from 'mongoose';
import { mergePush } from '../outbox/outbox';

/** The field of an aggregate document that remembers the last event ids applied to it. */
export const APPLIED_EVENT_IDS_FIELD = 'appliedEventIds';

/** How many applied ids a document keeps by default: far more than Kafka can redeliver for one key. */
export const DEFAULT_APPLIED_EVENT_IDS_LIMIT = 100;

/** Mongoose plugin: adds `appliedEventIds: string[]`. */
export function appliedEventIdsPlugin(schema: Schema): void {
  schema.add({ [APPLIED_EVENT_IDS_FIELD]: { type: [String], default: [] } });
}

type Filter = Record<string, unknown>;
type Update = Record<string, unknown>;

/**
 * Makes an update apply at most once per event: the filter only matches while the document has
 * not recorded `eventId`, and the update records it in the same write (keeping the last `limit`).
 * A result with `matchedCount: 0` means "already applied" (or no such document).
 *
 * With `upsert`, a repeat fails with a duplicate-key error on `_id` instead (the filter misses, the
 * insert collides): treat `isDuplicateKeyError` as "already applied".
 */
export function applyOnce<U extends Update>(
  filter: Filter,
  update: U,
  eventId: string,
  limit = DEFAULT_APPLIED_EVENT_IDS_LIMIT,
): { filter: Filter; update: U } {
  return {
    filter: { ...filter, [APPLIED_EVENT_IDS_FIELD]: { $ne: eventId } },
    update: mergePush(update, APPLIED_EVENT_IDS_FIELD, { $each: [eventId], $slice: -limit }),
  };
}

/** MongoDB's (and FerretDB's) duplicate key error, E11000. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
