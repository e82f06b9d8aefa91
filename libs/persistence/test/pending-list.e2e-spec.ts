import { randomUUID } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { PendingList, type PendingListEntry } from '../src';

jest.setTimeout(60_000);

/** A pending list (the ids beside a large collection that periodic work reads) on the real local store. */
describe('PendingList (real FerretDB)', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(process.env.MONGO_URL!, { dbName: `pending_list_${randomUUID().slice(0, 8)}` })
      .asPromise();
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  const ids = (entries: PendingListEntry[]) => entries.map((e) => e._id).sort();

  it('is filled from the scan once, then kept by adds and removes', async () => {
    const list = new PendingList(connection, 'work_a');
    const fill = jest.fn(() => Promise.resolve(['old-1', 'old-2']));
    expect(ids(await list.entries(fill))).toEqual(['old-1', 'old-2']);
    await list.add(['new-1', 'old-1']);
    await list.remove(['old-2', 'never-listed']);
    expect(ids(await list.entries(fill))).toEqual(['new-1', 'old-1']);
    expect(fill).toHaveBeenCalledTimes(1);
    // Another instance of the same list does not scan again.
    expect(ids(await new PendingList(connection, 'work_a').entries(fill))).toEqual(['new-1', 'old-1']);
    expect(fill).toHaveBeenCalledTimes(1);
  });

  it('keeps the first listing time of an id, and answers those listed before a time, up to a limit', async () => {
    const list = new PendingList(connection, 'work_b');
    const t0 = new Date('2026-01-01T00:00:00Z');
    await list.add(['a', 'b'], t0);
    await list.add(['a', 'c'], new Date('2026-01-02T00:00:00Z'));
    const none = () => Promise.resolve([]);
    const early = await list.entries(none, { listedBefore: new Date('2026-01-01T12:00:00Z') });
    expect(ids(early)).toEqual(['a', 'b']);
    expect(early.every((e) => e.listedAt.getTime() === t0.getTime())).toBe(true);
    expect(await list.entries(none, { limit: 2 })).toHaveLength(2);
  });

  it('lists the fill at the time asked, while an id a writer listed first keeps its own', async () => {
    const list = new PendingList(connection, 'work_d');
    const t1 = new Date('2026-01-02T00:00:00Z');
    await list.add(['written'], t1);
    const epoch = new Date(0);
    const entries = await list.entries(() => Promise.resolve(['old', 'written']), { filledAt: epoch });
    expect(entries.map((e) => [e._id, e.listedAt.getTime()]).sort()).toEqual([
      ['old', 0],
      ['written', t1.getTime()],
    ]);
  });

  it('lists each id once when many are added at once, in several chunks', async () => {
    const list = new PendingList(connection, 'work_c');
    const many = Array.from({ length: 1_200 }, (_, i) => `id-${i}`);
    await list.add([...many, ...many.slice(0, 10)]);
    expect(await list.entries(() => Promise.resolve([]))).toHaveLength(1_200);
    // Removed in commands of several point deletes each.
    await list.remove(many.slice(0, 1_100));
    expect(ids(await list.entries(() => Promise.resolve([])))).toEqual(many.slice(1_100).sort());
  });
});
