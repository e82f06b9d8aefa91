import { WRITE_CLAIMS_COLLECTION } from '@app/persistence';
import { RedisConnection } from '@app/platform';
import { raceInProcesses, showsLostUpdate } from '@app/testing';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import type { PreferenceRecord } from '../src/preferences/preference.schema';
import { PREFERENCES_MEMBERSHIP_KEY } from '../src/preferences/preferences.repository';

jest.setTimeout(240_000);

const CHILD = path.join(__dirname, 'support', 'preferences-race.child.ts');

/**
 * One user's preferences record (`preferences`, each PUT a `$set` of its kinds) written by two
 * notifications processes at once on the real local store, where FerretDB rewrites the whole
 * document for a `$set` of one field: every kind either process set must survive, and the user is
 * a member of the Redis set that tells planning a record exists.
 */
describe("a user's preferences across two processes (real FerretDB and Redis)", () => {
  const run = randomUUID().slice(0, 8);
  const redisPrefix = `preferences-claims-${run}:`;
  let connection: Connection;
  let redis: RedisConnection;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(process.env.MONGO_URL!, { dbName: `preferences_claims_${run}` })
      .asPromise();
    redis = new RedisConnection({ url: process.env.REDIS_URL!, keyPrefix: redisPrefix, failFast: true });
    await redis.onModuleInit();
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
    await redis?.client.del(PREFERENCES_MEMBERSHIP_KEY);
    await redis?.onApplicationShutdown();
  });

  async function race(lock: 'claims' | 'local', user: string) {
    // Without claims the two first writes of a user collide on the upsert's insert (E11000, a 500 to
    // the caller) before any kind could be lost, so that race starts from a stored record; under
    // claims the user has none, and the first writes queue.
    if (lock === 'local') {
      await connection.db!.collection<PreferenceRecord>('preferences').insertOne({
        _id: user,
        channels: {},
        updatedAt: new Date(),
      });
    }
    const results = await raceInProcesses<{ kept: string[] }>(
      CHILD,
      ['a', 'b'].map((tag) => ({
        RACE_TAG: tag,
        RACE_LOCK: lock,
        RACE_USER: user,
        RACE_ITERATIONS: '30',
        RACE_DB: connection.name,
        RACE_REDIS_PREFIX: redisPrefix,
      })),
    );
    const record = await connection.db!.collection<PreferenceRecord>('preferences').findOne({ _id: user });
    return { kept: results.flatMap((r) => r.kept).sort(), listed: Object.keys(record?.channels ?? {}).sort() };
  }

  it('keeps every kind when two processes set different kinds of one user at once, under claims', async () => {
    const user = `usr_race_claims_${run}`;
    const { kept, listed } = await race('claims', user);
    expect(kept).toHaveLength(60);
    expect(listed).toEqual(kept);
    expect(await redis.client.sismember(PREFERENCES_MEMBERSHIP_KEY, user)).toBe(1);
    expect(await connection.db!.collection(WRITE_CLAIMS_COLLECTION).countDocuments()).toBe(0);
  });

  it('loses kinds without the claims (what they prevent)', async () => {
    await expect(showsLostUpdate(5, (round) => race('local', `usr_race_local_${run}_${round}`))).resolves.toBe(true);
  });
});
