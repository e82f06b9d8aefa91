import { WRITE_CLAIMS_COLLECTION } from '@app/persistence';
import { Clock } from '@app/platform';
import { raceInProcesses, showsLostUpdate } from '@app/testing';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import mongoose, { type Connection, type mongo } from 'mongoose';
import { IdempotencyRecord, IdempotencyRecordSchema } from '../src/payments/idempotency-record.schema';
import { IdempotencyService } from '../src/payments/idempotency.service';
import { IdempotencyRecordsRepository } from '../src/payments/payment-records.repository';

jest.setTimeout(240_000);

const CHILD = path.join(__dirname, 'support', 'idempotency-takeover.child.ts');
const RECORDS = 40;
const ROUNDS = 5;
const HASH = 'a'.repeat(64);

/**
 * An Idempotency-Key whose call crashed (its record in progress, its lease run out), retried on two
 * pickup processes at once on the real local store, where FerretDB applies a conditional update as
 * a read and a rewrite. The call may run again, but once: two re-runs would each answer the client.
 */
describe('Idempotency-Key takeover across two processes (real FerretDB)', () => {
  let connection: Connection;
  let service: IdempotencyService;
  let records: mongo.Collection<Omit<IdempotencyRecord, '_id'> & { _id: string }>;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(process.env.MONGO_URL!, { dbName: `idempotency_${randomUUID().slice(0, 8)}` })
      .asPromise();
    const model = connection.model<IdempotencyRecord>(IdempotencyRecord.name, IdempotencyRecordSchema);
    service = new IdempotencyService(new IdempotencyRecordsRepository(model), new Clock());
    records = connection.db!.collection('idempotency_keys');
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  async function crashed(ids: readonly string[]): Promise<void> {
    const createdAt = new Date(Date.now() - 120_000);
    await records.insertMany(
      ids.map((_id) => ({
        _id,
        requestHash: HASH,
        state: 'in_progress',
        createdAt,
        leaseUntil: new Date(Date.now() - 1),
      })),
    );
  }

  async function race(lock: 'claims' | 'local', prefix: string) {
    const ids = Array.from({ length: RECORDS }, (_, i) => `${prefix}-${i}`);
    await crashed(ids);
    const results = await raceInProcesses<{ run: string[] }>(
      CHILD,
      ['a', 'b'].map(() => ({
        RACE_LOCK: lock,
        RACE_PREFIX: prefix,
        RACE_RECORDS: String(RECORDS),
        RACE_HASH: HASH,
        RACE_DB: connection.name,
      })),
    );
    // Every run of a call, from both processes: each record once when the takeover holds.
    return { kept: results.flatMap((r) => r.run).sort(), listed: [...ids].sort() };
  }

  it('runs a crashed call again once, then answers a retry that it is in progress, then replays its answer', async () => {
    const id = `one-${randomUUID().slice(0, 8)}`;
    await crashed([id]);
    expect(await service.begin(id, HASH)).toEqual({ kind: 'run', id });
    await expect(service.begin(id, HASH)).rejects.toThrow(/still in progress/);
    await service.complete(id, 201, { ok: true });
    expect(await service.begin(id, HASH)).toEqual({ kind: 'replay', statusCode: 201, body: { ok: true } });
  });

  it('lets one of two processes take over each crashed call, under claims', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { kept, listed } = await race('claims', `claims-${round}-${randomUUID().slice(0, 8)}`);
      expect(kept).toEqual(listed);
    }
    expect(await connection.db!.collection(WRITE_CLAIMS_COLLECTION).countDocuments()).toBe(0);
  });

  it('runs calls twice without the claims (what they prevent)', async () => {
    await expect(
      showsLostUpdate(ROUNDS, (round) => race('local', `local-${round}-${randomUUID().slice(0, 8)}`)),
    ).resolves.toBe(true);
  });
});
