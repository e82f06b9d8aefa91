import { randomBytes } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { idPages, MembershipSet, RedisConnection } from '../src';

jest.setTimeout(60_000);

/** The membership set as the services use it: real Redis, rebuilt from a real FerretDB collection. */
describe('MembershipSet (real Redis and FerretDB)', () => {
  const tag = randomBytes(4).toString('hex');
  let redis: RedisConnection;
  let mongo: Connection;
  let records: mongoose.mongo.Collection;
  let n = 0;

  beforeAll(async () => {
    redis = new RedisConnection({ url: process.env.REDIS_URL!, keyPrefix: `membership-spec-${tag}:` });
    mongo = await mongoose.createConnection(process.env.MONGO_URL!, { dbName: `membership_${tag}` }).asPromise();
    records = mongo.db!.collection('records');
  });

  afterAll(async () => {
    await mongo?.dropDatabase();
    await mongo?.close();
    await redis?.onApplicationShutdown();
  });

  /** A set over `records` under a key of its own. */
  function setOf(loadAll = () => idPages(records, 2)): { set: MembershipSet; key: string } {
    const key = `set-${++n}`;
    return { set: new MembershipSet(redis.client, { key, loadAll, rebuildBackoffMs: 0 }), key };
  }

  async function store(...ids: string[]): Promise<void> {
    await records.insertMany(ids.map((_id) => ({ _id }) as never));
  }

  it('answers "maybe" until it is complete, then "no" only for ids the store lacks', async () => {
    const a = `a-${tag}`;
    const b = `b-${tag}`;
    const c = `c-${tag}`;
    await store(a, b, c);
    const { set } = setOf();
    // Never built: every id is "maybe", and the first read starts the rebuild from the store.
    expect(await set.mayContain([a, 'absent'])).toEqual([true, true]);
    await set.settled();
    expect(await set.mayContain([a, 'absent', b, c])).toEqual([true, false, true, true]);
  });

  it("holds a writer's id before its record is stored, and after", async () => {
    const { set } = setOf();
    expect(await set.rebuild()).toBe(true);
    const id = `w-${tag}`;
    let seenDuringInsert: boolean[] = [];
    await set.around([id], async () => {
      seenDuringInsert = await set.mayContain([id]);
      await store(id);
    });
    expect(seenDuringInsert).toEqual([true]);
    expect(await set.mayContain([id])).toEqual([true]);
  });

  it('falls back to "maybe" when Redis lost the set, and rebuilds it from the store', async () => {
    const id = `l-${tag}`;
    await store(id);
    const { set, key } = setOf();
    expect(await set.rebuild()).toBe(true);
    expect(await set.mayContain(['never-stored'])).toEqual([false]);
    await redis.client.del(key);
    expect(await set.mayContain(['never-stored', id])).toEqual([true, true]);
    await set.settled();
    expect(await set.mayContain(['never-stored', id])).toEqual([false, true]);
  });

  it("does not mark the set complete when the key was lost during the rebuild's scan", async () => {
    const id = `m-${tag}`;
    await store(id);
    let key = '';
    const built = setOf(async function* () {
      yield ['first'];
      await redis.client.del(key); // Redis restarts empty while the store is scanned
      yield [id];
    });
    key = built.key;
    expect(await built.set.rebuild()).toBe(false);
    expect(await built.set.mayContain(['never-stored'])).toEqual([true]);
  });

  it('answers the reads of one tick with one SMISMEMBER', async () => {
    const { set } = setOf();
    await set.rebuild();
    const spy = jest.spyOn(redis.client, 'smismember');
    try {
      const answers = await Promise.all([set.mayContain(['x1']), set.mayContain(['x2', 'x3']), set.mayContain(['x4'])]);
      expect(answers).toEqual([[false], [false, false], [false]]);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('answers "maybe" without Redis, and refuses to add', async () => {
    const down = new RedisConnection({ url: 'redis://127.0.0.1:1', failFast: true, bootWaitMs: 100 });
    try {
      const set = new MembershipSet(down.client, { key: 'k', loadAll: () => idPages(records) });
      expect(await set.mayContain(['any'])).toEqual([true]);
      await expect(set.add(['any'])).rejects.toThrow();
    } finally {
      down.client.disconnect();
    }
  });
});
