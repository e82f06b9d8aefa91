// One tracking process of a two-process race on the real local store (verified-address-claims e2e),
// built from the verified-addresses repository with its own connection: RACE_ITERATIONS users of
// process RACE_TAG verify an address with key RACE_KEY, and every other one removes it again, as
// the identity events of users on different partitions do in two tracking instances.
// RACE_LOCK `local` leaves the key's claims out (the in-process lock alone, what they replace).
import { isDuplicateKeyError, KeyedLock } from '@app/persistence';
import { childEnv, raceChild, raceConnection } from '@app/testing/race-child';
import {
  ADDRESS_INDEX_MODEL,
  type AddressIndexDocument,
  AddressIndexSchema,
  USER_ADDRESSES_MODEL,
  type UserAddressesDocument,
  UserAddressesSchema,
} from '../../src/addresses/verified-address.schema';
import { VerifiedAddressesRepository } from '../../src/addresses/verified-addresses.repository';

const tag = childEnv('RACE_TAG');
const key = childEnv('RACE_KEY');
const iterations = Number(childEnv('RACE_ITERATIONS'));
const local = childEnv('RACE_LOCK') === 'local';

/**
 * Without the claims, the two processes' first upserts of the key can both insert: the loser's
 * E11000 is one of the anomalies the claims prevent (its resident is lost), not a crash of the race.
 */
function lostWithoutClaims(error: unknown): void {
  if (!(local && isDuplicateKeyError(error))) throw error;
}

raceChild(
  async () => {
    const connection = await raceConnection();
    const repository = new VerifiedAddressesRepository(
      connection.model<AddressIndexDocument>(ADDRESS_INDEX_MODEL, AddressIndexSchema),
      connection.model<UserAddressesDocument>(USER_ADDRESSES_MODEL, UserAddressesSchema),
    );
    if (local) Object.assign(repository, { indexClaims: new KeyedLock() });
    return repository;
  },
  async (repository) => {
    const kept: string[] = [];
    for (let i = 0; i < iterations; i++) {
      const userId = `usr_${tag}${i}`;
      await repository.addResident(key, userId, `adr_${tag}${i}`).catch(lostWithoutClaims);
      if (i % 2 === 0) await repository.removeResident(key, userId, `adr_${tag}${i}`);
      else kept.push(userId);
    }
    return { kept };
  },
);
