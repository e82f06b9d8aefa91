import { WRITE_CLAIMS_COLLECTION } from '@app/persistence';
import { raceInProcesses, showsLostUpdate } from '@app/testing';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { TopUp, TopUpSchema } from '../src/account/top-up.schema';
import { TopUpsRepository } from '../src/account/top-ups.repository';

jest.setTimeout(240_000);

const CHILD = path.join(__dirname, 'support', 'top-up-status.child.ts');
const TOP_UPS = 40;
const ROUNDS = 5;

/**
 * A wallet top-up's status (`top_ups`) written by two pickup processes at once on the real local
 * store, where FerretDB applies a conditional update as a read and a rewrite: one marks top-ups
 * succeeded (the payment webhook), the other marks them failed and writes a late `pending` (a failed
 * attempt's webhook, the creating HTTP call). Money was taken for every top-up marked succeeded, so
 * each must end succeeded.
 */
describe('top-up status across two processes (real FerretDB)', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(process.env.MONGO_URL!, { dbName: `top_ups_${randomUUID().slice(0, 8)}` })
      .asPromise();
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  async function race(lock: 'claims' | 'local', prefix: string) {
    const ids = Array.from({ length: TOP_UPS }, (_, i) => `${prefix}-${i}`);
    const topUps = connection.db!.collection<TopUp>('top_ups');
    await topUps.insertMany(
      ids.map((_id) => ({ _id, ownerId: 'race', amountCents: 1_000, status: 'pending', createdAt: new Date() })),
    );
    const results = await raceInProcesses<{ kept: string[] }>(
      CHILD,
      ['succeed', 'fail'].map((role) => ({
        RACE_ROLE: role,
        RACE_LOCK: lock,
        RACE_PREFIX: prefix,
        RACE_TOP_UPS: String(TOP_UPS),
        RACE_DB: connection.name,
      })),
    );
    const stored = await Promise.all(ids.map((id) => topUps.findOne({ _id: id })));
    return {
      kept: results.flatMap((r) => r.kept).sort(),
      listed: stored
        .filter((doc) => doc?.status === 'succeeded')
        .map((doc) => doc!._id)
        .sort(),
    };
  }

  it('moves a status forward only: pending first, failed over pending, succeeded over either, and final', async () => {
    const repository = new TopUpsRepository(connection.model<TopUp>(TopUp.name, TopUpSchema));
    const id = `order-${randomUUID().slice(0, 8)}`;
    const fields = { ownerId: 'owner', amountCents: 2_500, createdAt: new Date() };
    const statusAfter = async (write: () => Promise<void>) => {
      await write();
      return (await repository.findById(id))?.status;
    };
    expect(await statusAfter(() => repository.markFailed(id))).toBeUndefined();
    expect(await statusAfter(() => repository.record(id, fields, 'pending'))).toBe('pending');
    expect(await statusAfter(() => repository.markFailed(id))).toBe('failed');
    expect(await statusAfter(() => repository.record(id, fields, 'pending'))).toBe('failed');
    expect(await statusAfter(() => repository.markSucceeded(id, { ...fields, amountCents: 1 }))).toBe('succeeded');
    expect(await statusAfter(() => repository.markFailed(id))).toBe('succeeded');
    expect(await statusAfter(() => repository.record(id, { ...fields, amountCents: 1 }, 'pending'))).toBe('succeeded');
    expect(await repository.findById(id)).toMatchObject({ ownerId: 'owner', amountCents: 2_500 });
  });

  it('records a top-up whose success webhook came before the HTTP call stored it, and keeps it succeeded', async () => {
    const repository = new TopUpsRepository(connection.model<TopUp>(TopUp.name, TopUpSchema));
    const id = `early-${randomUUID().slice(0, 8)}`;
    const fields = { ownerId: 'owner', amountCents: 2_500, createdAt: new Date() };
    await repository.markSucceeded(id, fields);
    await repository.record(id, { ...fields, amountCents: 1 }, 'pending');
    expect(await repository.findById(id)).toMatchObject({ status: 'succeeded', ownerId: 'owner', amountCents: 2_500 });
  });

  // A round without claims does not always lose a status, so both tests race as many rounds.
  it('keeps every top-up marked succeeded succeeded while another process fails it, under claims', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { kept, listed } = await race('claims', `claims-${round}-${randomUUID().slice(0, 8)}`);
      expect(kept).toHaveLength(TOP_UPS);
      expect(listed).toEqual(kept);
    }
    expect(await connection.db!.collection(WRITE_CLAIMS_COLLECTION).countDocuments()).toBe(0);
  });

  it('loses succeeded statuses without the claims (what they prevent)', async () => {
    await expect(
      showsLostUpdate(ROUNDS, (round) => race('local', `local-${round}-${randomUUID().slice(0, 8)}`)),
    ).resolves.toBe(true);
  });
});
