/** MongoDB's (and FerretDB's) duplicate key error, E11000. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

/**
 * The positions of the documents an unordered insert refused as duplicates (its `writeErrors`), or
 * undefined when the error is not made of duplicate key errors alone.
 */
export function duplicateKeyIndexes(error: unknown): Set<number> | undefined {
  if (typeof error !== 'object' || error === null || !('writeErrors' in error)) return undefined;
  const writeErrors = ([] as { index: number; code: number }[]).concat(
    error.writeErrors as { index: number; code: number }[],
  );
  if (writeErrors.length === 0 || writeErrors.some((e) => e.code !== 11000)) return undefined;
  return new Set(writeErrors.map((e) => e.index));
}

/** Runs an insert; false when the store refuses it as a duplicate key (its `_id` or a unique key is taken). */
export async function insertUnlessTaken(insert: () => Promise<unknown>): Promise<boolean> {
  try {
    await insert();
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}
