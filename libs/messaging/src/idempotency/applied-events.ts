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

export interface ApplyOnceOptions {
  /** Ids to keep (the newest). Default `DEFAULT_APPLIED_EVENT_IDS_LIMIT`. */
  limit?: number;
  /**
   * The document's `appliedEventIds` as just read. Given, the bounded list is written with `$set`
   * (needed on FerretDB v1.24.2, which silently ignores `$slice` in `$push`); without it the id is
   * pushed with `$slice`, which bounds the list on MongoDB only.
   */
  current?: readonly string[];
}

/**
 * Makes an update apply at most once per event: the filter only matches while the document has
 * not recorded `eventId`, and the update records it in the same write. A result with
 * `matchedCount: 0` means "already applied" (or no such document).
 *
 * With `upsert`, a repeat fails with a duplicate-key error on `_id` instead (the filter misses, the
 * insert collides): treat `isDuplicateKeyError` as "already applied".
 */
export function applyOnce<F extends Filter, U extends Update>(
  filter: F,
  update: U,
  eventId: string,
  options: ApplyOnceOptions = {},
): { filter: F; update: U } {
  const limit = options.limit ?? DEFAULT_APPLIED_EVENT_IDS_LIMIT;
  if (limit < 1) throw new Error('limit must be at least 1');
  const guarded: F = { ...filter, [APPLIED_EVENT_IDS_FIELD]: { $ne: eventId } };
  if (options.current) {
    const set = (update.$set ?? {}) as Record<string, unknown>;
    if (APPLIED_EVENT_IDS_FIELD in set) throw new Error(`the update already sets ${APPLIED_EVENT_IDS_FIELD}`);
    const kept = [...options.current.filter((id) => id !== eventId), eventId].slice(-limit);
    return { filter: guarded, update: { ...update, $set: { ...set, [APPLIED_EVENT_IDS_FIELD]: kept } } };
  }
  return {
    filter: guarded,
    update: mergePush(update, APPLIED_EVENT_IDS_FIELD, { $each: [eventId], $slice: -limit }),
  };
}
