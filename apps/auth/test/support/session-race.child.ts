// One auth process of a two-process race on the real local store (session-claims e2e), built from
// the sessions repository with its own connection. Sessions RACE_PREFIX-0 … -(RACE_SESSIONS - 1) are
// taken one at a time, in slots of SLOT_MS counted from GO (both processes get GO at once): RACE_ROLE
// `rotate` rotates the slot's session's refresh token for the whole slot, as refreshes served by one
// replica; `revoke` logs it out mid-slot, as a logout served by another replica. RACE_LOCK `local`
// leaves the sessions' claims out.
import { ConditionalUpdates } from '@app/persistence';
import { childEnv, raceChild, raceConnection, sleepUntil } from '@app/testing/race-child';
import {
  REFRESH_TOKEN_MODEL,
  RefreshTokenSchema,
  TOKEN_FAMILY_MODEL,
  TokenFamilySchema,
  type RefreshTokenDocument,
  type TokenFamilyDocument,
} from '../../src/sessions/session.schema';
import { SessionsRepository } from '../../src/sessions/sessions.repository';

const SLOT_MS = 60;
const prefix = childEnv('RACE_PREFIX');
const sessions = Number(childEnv('RACE_SESSIONS'));

raceChild(
  async () => {
    const connection = await raceConnection();
    const families = connection.model<TokenFamilyDocument>(TOKEN_FAMILY_MODEL, TokenFamilySchema);
    const repository = new SessionsRepository(
      connection.model<RefreshTokenDocument>(REFRESH_TOKEN_MODEL, RefreshTokenSchema),
      families,
    );
    if (childEnv('RACE_LOCK') === 'local')
      Object.assign(repository, { familyUpdates: new ConditionalUpdates(families) });
    return repository;
  },
  async (repository) => {
    const start = Date.now();
    const revoked: string[] = [];
    for (let i = 0; i < sessions; i++) {
      const id = `${prefix}-${i}`;
      const slotEnd = start + (i + 1) * SLOT_MS;
      if (childEnv('RACE_ROLE') === 'rotate') {
        await sleepUntil(start + i * SLOT_MS);
        for (let n = 0; Date.now() < slotEnd; n++) {
          await repository.rotateToken(id, `hash-${id}-${n}`, new Date(), false);
        }
      } else {
        await sleepUntil(start + i * SLOT_MS + SLOT_MS / 2);
        await repository.revokeSession(id, new Date());
        revoked.push(id);
      }
    }
    return { kept: revoked };
  },
);
