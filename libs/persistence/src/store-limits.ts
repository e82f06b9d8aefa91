import { Injectable } from '@nestjs/common';
import { Semaphore } from 'async-mutex';

/**
 * Statements per write command. FerretDB v1.24.2 keeps a pooled SQLite connection open for every
 * statement of an update command until the command ends, from a pool of 100 per database: commands
 * whose statements add up to ~100 wait for each other forever. 25 leaves room for three instances.
 */
export const WRITE_CHUNK = 25;

/** Point reads in flight per `findByIds` call. */
export const READ_CONCURRENCY = 8;

/** Splits a list into consecutive slices of at most `size` items. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * One multi-statement write command at a time per process (shared by the outbox relay and the
 * hot-path repositories), so the statements held open on the store stay under its pool: concurrent
 * chunks from several partitions would otherwise deadlock FerretDB. SQLite has one writer anyway.
 */
@Injectable()
export class StoreWriteGate {
  private readonly slots = new Semaphore(1);

  run<T>(command: () => Promise<T>): Promise<T> {
    return this.slots.runExclusive(command);
  }
}

interface PointReadable<T> {
  findOne(filter: { _id: unknown }, options?: { projection?: Record<string, 0 | 1> }): Promise<T | null>;
}

/**
 * Reads documents by `_id` with one `{_id: value}` query each, a few in flight: on FerretDB/SQLite
 * that exact filter is the only one served by an index (`{_id: {$in}}` scans the collection).
 * Missing documents are left out; order is not kept.
 */
export async function findByIds<T>(
  collection: PointReadable<T>,
  ids: readonly unknown[],
  options: { projection?: Record<string, 0 | 1>; concurrency?: number } = {},
): Promise<T[]> {
  const unique = [...new Set(ids)];
  const found: T[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < unique.length) {
      const id = unique[next++];
      const doc = await collection.findOne({ _id: id }, options.projection ? { projection: options.projection } : {});
      if (doc) found.push(doc);
    }
  };
  const workers = Math.min(options.concurrency ?? READ_CONCURRENCY, unique.length);
  await Promise.all(Array.from({ length: workers }, worker));
  return found;
}
