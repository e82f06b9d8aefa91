import { WRITE_CLAIMS_COLLECTION } from '@app/persistence';
import { raceInProcesses, showsLostUpdate } from '@app/testing';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import type { SerialReservation } from '../src/labels/serial-reservation.schema';

jest.setTimeout(240_000);

const CHILD = path.join(__dirname, 'support', 'serial-reservation.child.ts');
const COUNTERS = 30;
const ROUNDS = 5;

/**
 * The IMpb serial reservation (`serial_reservations`, raised by `$max`) written by two pickup
 * processes at once on the real local store, where FerretDB rewrites the document for a `$max`: a
 * mark must never end below a block a process reserved (and handed serials out of), or a lost
 * Redis counter would hand those serials out again.
 */
describe('serial reservations across two processes (real FerretDB)', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(process.env.MONGO_URL!, { dbName: `serial_reservations_${randomUUID().slice(0, 8)}` })
      .asPromise();
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  async function race(lock: 'claims' | 'local', prefix: string) {
    const counters = Array.from({ length: COUNTERS }, (_, i) => `${prefix}-${i}`);
    const marks = connection.db!.collection<SerialReservation>('serial_reservations');
    await marks.insertMany(counters.map((_id) => ({ _id, reservedThrough: 0 })));
    const results = await raceInProcesses<{ kept: string[] }>(
      CHILD,
      ['high', 'low'].map((role) => ({
        RACE_ROLE: role,
        RACE_LOCK: lock,
        RACE_PREFIX: prefix,
        RACE_COUNTERS: String(COUNTERS),
        RACE_DB: connection.name,
      })),
    );
    const stored = await Promise.all(counters.map((id) => marks.findOne({ _id: id })));
    return {
      kept: results.flatMap((r) => r.kept).sort(),
      listed: stored.map((doc, i) => `${counters[i]}:${doc?.reservedThrough ?? 0}`).sort(),
    };
  }

  // A round without claims does not always lower a mark (one came out right here), so both tests
  // race as many rounds.
  it('keeps every mark at the highest block reserved when two processes raise it at once, under claims', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { kept, listed } = await race('claims', `claims-${round}-${randomUUID().slice(0, 8)}`);
      expect(kept).toHaveLength(COUNTERS);
      expect(listed).toEqual(kept);
    }
    expect(await connection.db!.collection(WRITE_CLAIMS_COLLECTION).countDocuments()).toBe(0);
  });

  it('lowers marks without the claims (what they prevent)', async () => {
    await expect(
      showsLostUpdate(ROUNDS, (round) => race('local', `local-${round}-${randomUUID().slice(0, 8)}`)),
    ).resolves.toBe(true);
  });
});
