// One notifications process of a two-process race on the real local store (preferences-claims e2e),
// built from the preferences repository with its own store and Redis connections: it sets
// RACE_ITERATIONS kinds of user RACE_USER's preferences, one PUT each, named after RACE_TAG, as two
// replicas serving one user's PUTs would. RACE_LOCK `local` leaves the user's claims out.
import { KeyedLock } from '@app/persistence';
import { RedisConnection } from '@app/platform';
import { childEnv, raceChild, raceConnection } from '@app/testing/race-child';
import { PreferenceRecord, PreferenceSchema } from '../../src/preferences/preference.schema';
import { PreferencesRepository } from '../../src/preferences/preferences.repository';

const tag = childEnv('RACE_TAG');
const user = childEnv('RACE_USER');
const iterations = Number(childEnv('RACE_ITERATIONS'));

raceChild(
  async () => {
    const connection = await raceConnection();
    const redis = new RedisConnection({ url: childEnv('REDIS_URL'), keyPrefix: childEnv('RACE_REDIS_PREFIX') });
    await redis.onModuleInit();
    const repository = new PreferencesRepository(
      connection.model<PreferenceRecord>(PreferenceRecord.name, PreferenceSchema),
      redis,
    );
    if (childEnv('RACE_LOCK') === 'local') Object.assign(repository, { claims: new KeyedLock() });
    return repository;
  },
  async (repository) => {
    const kept: string[] = [];
    for (let i = 0; i < iterations; i++) {
      const kind = `kind_${tag}${i}`;
      await repository.setKinds(user, { [kind]: i % 2 === 0 ? ['email'] : ['sms'] }, new Date());
      kept.push(kind);
    }
    return { kept };
  },
);
