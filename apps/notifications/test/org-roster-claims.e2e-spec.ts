import { WRITE_CLAIMS_COLLECTION } from '@app/persistence';
import { raceInProcesses, showsLostUpdate } from '@app/testing';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import type { OrgRosterRecord } from '../src/orgs/org-roster.schema';

jest.setTimeout(240_000);

const CHILD = path.join(__dirname, 'support', 'org-roster-race.child.ts');

/**
 * An organisation's roster (`org_rosters`) written by two notifications processes at once on the
 * real local store: membership events in one, the notice setting's PUTs in the other. FerretDB
 * rewrites the whole document for a `$set` of either field, so each must keep what the other wrote:
 * every event applied (its id recorded with the members) and the setting last chosen.
 */
describe('an organisation roster across two processes (real FerretDB)', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(process.env.MONGO_URL!, { dbName: `org_rosters_${randomUUID().slice(0, 8)}` })
      .asPromise();
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  async function race(lock: 'claims' | 'local', org: string) {
    const rosters = connection.db!.collection<OrgRosterRecord>('org_rosters');
    await rosters.insertOne({ _id: org, members: [], noticeRecipients: null, appliedEventIds: [] });
    const results = await raceInProcesses<{ kept: string[] }>(
      CHILD,
      ['events', 'settings'].map((role) => ({
        RACE_ROLE: role,
        RACE_LOCK: lock,
        RACE_ORG: org,
        RACE_ITERATIONS: '30',
        RACE_DB: connection.name,
      })),
    );
    const roster = await rosters.findOne({ _id: org });
    return {
      kept: results.flatMap((r) => r.kept).sort(),
      listed: [...(roster?.appliedEventIds ?? []), `notice:${roster?.noticeRecipients}`].sort(),
      members: roster?.members.length,
    };
  }

  it('keeps every membership event and the last setting when both are written at once, under claims', async () => {
    const { kept, listed, members } = await race('claims', 'org_race_claims');
    expect(kept).toHaveLength(31);
    expect(listed).toEqual(kept);
    expect(members).toBe(30);
    expect(await connection.db!.collection(WRITE_CLAIMS_COLLECTION).countDocuments()).toBe(0);
  });

  it('loses an event or the setting without the claims (what they prevent)', async () => {
    await expect(showsLostUpdate(5, (round) => race('local', `org_race_local_${round}`))).resolves.toBe(true);
  });
});
