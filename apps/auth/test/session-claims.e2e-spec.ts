import { WRITE_CLAIMS_COLLECTION } from '@app/persistence';
import { raceInProcesses, showsLostUpdate } from '@app/testing';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import type { TokenFamilyDocument } from '../src/sessions/session.schema';

jest.setTimeout(240_000);

const CHILD = path.join(__dirname, 'support', 'session-race.child.ts');
const SESSIONS = 30;

/**
 * Login sessions (`token_families`) written by two auth processes at once on the real local store:
 * one rotates each session's refresh token over and over while the other logs the session out.
 * FerretDB rewrites the whole document for the `$set` of either, so without a claim a rotation can
 * write the session back unrevoked: every logout must hold.
 */
describe('session logouts beside rotations in another process (real FerretDB)', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(process.env.MONGO_URL!, { dbName: `session_claims_${randomUUID().slice(0, 8)}` })
      .asPromise();
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  async function race(lock: 'claims' | 'local', prefix: string) {
    const families = connection.db!.collection<TokenFamilyDocument>('token_families');
    const now = new Date();
    await families.insertMany(
      Array.from({ length: SESSIONS }, (_, i) => ({
        _id: `${prefix}-${i}`,
        userId: 'usr_race',
        createdAt: now,
        tokenHash: `hash-${prefix}-${i}`,
        tokenIssuedAt: now,
        lastUsedAt: now,
        revokedAt: null,
        orgId: null,
      })),
    );
    const results = await raceInProcesses<{ kept: string[] }>(
      CHILD,
      ['rotate', 'revoke'].map((role) => ({
        RACE_ROLE: role,
        RACE_LOCK: lock,
        RACE_PREFIX: prefix,
        RACE_SESSIONS: String(SESSIONS),
        RACE_DB: connection.name,
      })),
    );
    const stored = await Promise.all(
      Array.from({ length: SESSIONS }, (_, i) => families.findOne({ _id: `${prefix}-${i}` })),
    );
    return {
      kept: results.flatMap((r) => r.kept).sort(),
      listed: stored.flatMap((s) => (s?.revokedAt ? [s._id] : [])).sort(),
    };
  }

  it('keeps every logout while another process rotates the same sessions, under claims', async () => {
    const { kept, listed } = await race('claims', `claims-${randomUUID().slice(0, 8)}`);
    expect(kept).toHaveLength(SESSIONS);
    expect(listed).toEqual(kept);
    expect(await connection.db!.collection(WRITE_CLAIMS_COLLECTION).countDocuments()).toBe(0);
  });

  it('loses logouts without the claims (what they prevent)', async () => {
    await expect(
      showsLostUpdate(5, (round) => race('local', `local-${round}-${randomUUID().slice(0, 8)}`)),
    ).resolves.toBe(true);
  });
});
