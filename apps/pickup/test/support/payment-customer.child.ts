// One pickup process of a two-process race on the real local store (payment-customer-claims e2e),
// built from the payment customers repository with its own connection: it adds RACE_ITERATIONS
// cards to account RACE_OWNER's list and removes every other one again, as two pickup replicas
// serving one account's saved cards would. RACE_LOCK `local` leaves the account's claims out.
import { KeyedLock } from '@app/persistence';
import { childEnv, raceChild, raceConnection } from '@app/testing/race-child';
import { PaymentCustomer, PaymentCustomerSchema } from '../../src/cards/payment-customer.schema';
import { PaymentCustomersRepository } from '../../src/cards/payment-customers.repository';

const tag = childEnv('RACE_TAG');
const owner = childEnv('RACE_OWNER');
const iterations = Number(childEnv('RACE_ITERATIONS'));

raceChild(
  async () => {
    const connection = await raceConnection();
    const repository = new PaymentCustomersRepository(
      connection.model<PaymentCustomer>(PaymentCustomer.name, PaymentCustomerSchema),
    );
    if (childEnv('RACE_LOCK') === 'local') Object.assign(repository, { claims: new KeyedLock() });
    return repository;
  },
  async (repository) => {
    const kept: string[] = [];
    for (let i = 0; i < iterations; i++) {
      const cardId = `pm_${tag}${i}`;
      await repository.addCard(owner, cardId);
      if (i % 2 === 0) await repository.removeCard(owner, cardId);
      else kept.push(cardId);
    }
    return { kept };
  },
);
