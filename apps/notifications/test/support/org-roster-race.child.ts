// One notifications process of a two-process race on the real local store (org-roster-claims e2e),
// built from the org rosters repository with its own connection. RACE_ROLE `events` applies
// RACE_ITERATIONS membership events to organisation RACE_ORG, as the replica owning its partition
// would; `settings` sets its notice setting as often, as PUTs served by another replica would.
// RACE_LOCK `local` leaves the roster's claims out.
import { OrgNoticeRecipients, OrgRoles } from '@app/contracts';
import { KeyedLock } from '@app/persistence';
import { childEnv, raceChild, raceConnection } from '@app/testing/race-child';
import { OrgRosterRecord, OrgRosterSchema } from '../../src/orgs/org-roster.schema';
import { OrgRostersRepository } from '../../src/orgs/org-rosters.repository';

const org = childEnv('RACE_ORG');
const iterations = Number(childEnv('RACE_ITERATIONS'));
const SETTINGS = Object.values(OrgNoticeRecipients);

raceChild(
  async () => {
    const connection = await raceConnection();
    const repository = new OrgRostersRepository(
      connection.model<OrgRosterRecord>(OrgRosterRecord.name, OrgRosterSchema),
    );
    if (childEnv('RACE_LOCK') === 'local') Object.assign(repository, { claims: new KeyedLock() });
    return repository;
  },
  async (repository) => {
    const kept: string[] = [];
    if (childEnv('RACE_ROLE') === 'events') {
      for (let i = 0; i < iterations; i++) {
        const eventId = `${org}-event-${i}`;
        await repository.changeMembersOnce(
          org,
          (members) => [...members, { userId: `usr_${i}`, role: OrgRoles.Viewer }],
          eventId,
        );
        kept.push(eventId);
      }
    } else {
      let last = SETTINGS[0];
      for (let i = 0; i < iterations; i++) {
        last = SETTINGS[i % SETTINGS.length];
        await repository.setNoticeRecipients(org, last);
      }
      kept.push(`notice:${last}`);
    }
    return { kept };
  },
);
