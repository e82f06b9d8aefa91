// One pickup process of a two-process race on the real local store (top-up-status-claims e2e),
// built from the top-ups repository with its own connection. Top-ups RACE_PREFIX-0 … -(RACE_TOP_UPS
// - 1), all pending, are raced in groups of GROUP, one group per slot of SLOT_MS counted from GO
// (both processes get GO at once), as two pickup replicas handling the webhooks of one
// PaymentIntent: RACE_ROLE `succeed` marks each top-up of the group succeeded (all at once, at the
// slot's start); `fail` marks them failed and writes a late `pending` for them, all at once, from
// the slot's start to its end.
// RACE_LOCK `local` leaves the top-ups' claims out.
import { KeyedLock } from '@app/persistence';
import { childEnv, raceChild, raceConnection, sleepUntil } from '@app/testing/race-child';
import { TopUp, TopUpSchema } from '../../src/account/top-up.schema';
import { TopUpsRepository } from '../../src/account/top-ups.repository';

const SLOT_MS = 80;
const GROUP = 5;
const prefix = childEnv('RACE_PREFIX');
const topUps = Number(childEnv('RACE_TOP_UPS'));

raceChild(
  async () => {
    const connection = await raceConnection();
    const repository = new TopUpsRepository(connection.model<TopUp>(TopUp.name, TopUpSchema));
    if (childEnv('RACE_LOCK') === 'local') Object.assign(repository, { claims: new KeyedLock() });
    return repository;
  },
  async (repository) => {
    const start = Date.now();
    const succeeded: string[] = [];
    for (let slot = 0; slot * GROUP < topUps; slot++) {
      const ids = Array.from(
        { length: Math.min(GROUP, topUps - slot * GROUP) },
        (_, i) => `${prefix}-${slot * GROUP + i}`,
      );
      const slotStart = start + slot * SLOT_MS;
      if (childEnv('RACE_ROLE') === 'succeed') {
        await sleepUntil(slotStart);
        const fields = { ownerId: 'race', amountCents: 1_000, createdAt: new Date(start) };
        await Promise.all(ids.map((id) => repository.markSucceeded(id, fields)));
        succeeded.push(...ids);
      } else {
        await sleepUntil(slotStart);
        const late = { ownerId: 'race', amountCents: 1_000, createdAt: new Date(start) };
        while (Date.now() < slotStart + SLOT_MS) {
          await Promise.all(ids.flatMap((id) => [repository.markFailed(id), repository.record(id, late, 'pending')]));
        }
      }
    }
    return { kept: succeeded };
  },
);
