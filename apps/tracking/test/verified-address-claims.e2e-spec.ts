import { raceInProcesses, showsLostUpdate } from '@app/testing';
import { WRITE_CLAIMS_COLLECTION } from '@app/persistence';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import type { AddressIndexDocument } from '../src/addresses/verified-address.schema';

jest.setTimeout(240_000);

const CHILD = path.join(__dirname, 'support', 'address-index.child.ts');

/**
 * The residents of one address key (`address_index`, changed by `$addToSet`/`$pull`) written by two
 * tracking processes at once on the real local store, where FerretDB rewrites the whole document
 * for either operator: the list must end with exactly the residents left.
 */
describe('the verified-address index across two processes (real FerretDB)', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(process.env.MONGO_URL!, { dbName: `address_index_${randomUUID().slice(0, 8)}` })
      .asPromise();
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  async function race(lock: 'claims' | 'local', key: string) {
    const results = await raceInProcesses<{ kept: string[] }>(
      CHILD,
      ['a', 'b'].map((tag) => ({
        RACE_TAG: tag,
        RACE_LOCK: lock,
        RACE_KEY: key,
        RACE_ITERATIONS: '30',
        RACE_DB: connection.name,
      })),
    );
    const doc = await connection.db!.collection<AddressIndexDocument>('address_index').findOne({ _id: key });
    return {
      kept: results.flatMap((r) => r.kept).sort(),
      listed: (doc?.users ?? []).map((u) => u.userId).sort(),
    };
  }

  it('lists exactly the residents left when two processes add and remove them at once, under claims', async () => {
    const { kept, listed } = await race('claims', '80202|1 MAIN ST|claims');
    expect(kept).toHaveLength(30);
    expect(listed).toEqual(kept);
    expect(await connection.db!.collection(WRITE_CLAIMS_COLLECTION).countDocuments()).toBe(0);
  });

  it('loses or resurrects residents without the claims (what they prevent)', async () => {
    await expect(showsLostUpdate(5, (round) => race('local', `80202|1 MAIN ST|local-${round}`))).resolves.toBe(true);
  });
});
