import { raceInProcesses, showsLostUpdate } from '@app/testing';
import { WRITE_CLAIMS_COLLECTION } from '@app/persistence';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { PaymentCustomer, PaymentCustomerSchema } from '../src/cards/payment-customer.schema';
import { PaymentCustomersRepository } from '../src/cards/payment-customers.repository';

jest.setTimeout(240_000);

const CHILD = path.join(__dirname, 'support', 'payment-customer.child.ts');

/**
 * An account's saved-card list (`customers.cardIds`, changed by `$addToSet`/`$pull`) written by two
 * pickup processes at once on the real local store, where FerretDB rewrites the whole document for
 * either operator: the list must end with exactly the cards left.
 */
describe("an account's saved-card list across two processes (real FerretDB)", () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(process.env.MONGO_URL!, { dbName: `payment_customers_${randomUUID().slice(0, 8)}` })
      .asPromise();
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  async function race(lock: 'claims' | 'local', owner: string) {
    const model = connection.model<PaymentCustomer>(PaymentCustomer.name, PaymentCustomerSchema);
    await new PaymentCustomersRepository(model).createIfAbsent(owner, `cus_${owner}`, new Date());
    const results = await raceInProcesses<{ kept: string[] }>(
      CHILD,
      ['a', 'b'].map((tag) => ({
        RACE_TAG: tag,
        RACE_LOCK: lock,
        RACE_OWNER: owner,
        RACE_ITERATIONS: '30',
        RACE_DB: connection.name,
      })),
    );
    const listed = (await model.findById(owner).lean<PaymentCustomer>())?.cardIds ?? [];
    return { kept: results.flatMap((r) => r.kept).sort(), listed: [...listed].sort() };
  }

  it('lists exactly the cards left when two processes add and remove cards at once, under claims', async () => {
    const { kept, listed } = await race('claims', 'usr_race_claims');
    expect(kept).toHaveLength(30);
    expect(listed).toEqual(kept);
    expect(await connection.db!.collection(WRITE_CLAIMS_COLLECTION).countDocuments()).toBe(0);
  });

  it('loses or resurrects cards without the claims (what they prevent)', async () => {
    await expect(showsLostUpdate(5, (round) => race('local', `usr_race_local_${round}`))).resolves.toBe(true);
  });
});
