import { RedisConnection } from '@app/platform';
import { randomUUID } from 'node:crypto';
import mongoose, { type Connection, type Model } from 'mongoose';
import { PreferenceRecord, PreferenceSchema } from '../src/preferences/preference.schema';
import { PreferencesRepository } from '../src/preferences/preferences.repository';

jest.setTimeout(60_000);

/**
 * Planning reads a recipient's preferences only when the user has a record (real FerretDB and
 * Redis): the membership set answers "no record" for the users who never chose, and a user's first
 * choice is a member before it is stored.
 */
describe('preferences reads (real FerretDB and Redis)', () => {
  const run = randomUUID().slice(0, 8);
  let connection: Connection;
  let model: Model<PreferenceRecord>;
  let redis: RedisConnection;
  /** point reads of the preferences collection */
  const reads: string[] = [];

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(process.env.MONGO_URL!, { dbName: `preferences_reads_${run}`, monitorCommands: true })
      .asPromise();
    connection.getClient().on('commandStarted', (event) => {
      const command = event.command as Record<string, unknown>;
      // The `{}` scan of a rebuild (started by a read that finds the set incomplete) is not a point read.
      const filter = JSON.stringify(command.filter);
      if (event.commandName === 'find' && command.find === 'preferences' && filter !== '{}') reads.push(filter);
    });
    model = connection.model<PreferenceRecord>(PreferenceRecord.name, PreferenceSchema);
    await model.init();
    redis = new RedisConnection({
      url: process.env.REDIS_URL!,
      keyPrefix: `preferences-reads-${run}:`,
      failFast: true,
    });
    await redis.onModuleInit();
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
    await redis?.onApplicationShutdown();
  });

  it('reads no record for a user who never chose, and reads the record once the user chose', async () => {
    const chose = `usr_chose_${run}`;
    const never = `usr_never_${run}`;
    await model.collection.insertOne({ _id: chose, channels: { available_for_pickup: ['sms'] } } as never);
    const repository = new PreferencesRepository(model, redis);
    expect(await repository.membership.rebuild()).toBe(true);

    reads.length = 0;
    const found = await repository.findMany([chose, never]);
    expect(found.map((r) => r._id)).toEqual([chose]);
    expect(reads).toEqual([JSON.stringify({ _id: chose })]);

    await repository.setKinds(never, { available_for_pickup: ['email'] }, new Date());
    reads.length = 0;
    const after = await repository.findMany([never]);
    expect(after.map((r) => r.channels)).toEqual([{ available_for_pickup: ['email'] }]);
    expect(reads).toHaveLength(1);
  });

  it('reads every user while Redis has no complete set', async () => {
    const user = `usr_unknown_${run}`;
    await redis.client.del('preferences:users');
    const repository = new PreferencesRepository(model, redis);
    reads.length = 0;
    expect(await repository.findMany([user])).toEqual([]);
    expect(reads).toEqual([JSON.stringify({ _id: user })]);
    await repository.membership.settled();
  });
});
