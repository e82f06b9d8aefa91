import { type QueryPlan, WRITE_CLAIMS_COLLECTION, withQueryPlan } from '@app/persistence';
import { raceInProcesses, showsLostUpdate } from '@app/testing';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import {
  ParcelShipperRecord,
  ParcelShipperSchema,
  WebhookDeliveryRecord,
  WebhookDeliverySchema,
  WebhookEndpointRecord,
  WebhookEndpointSchema,
  WebhookOwnerRecord,
  WebhookOwnerSchema,
} from '../src/webhooks/webhook.schema';
import { WebhooksRepository } from '../src/webhooks/webhooks.repository';

jest.setTimeout(240_000);

const CHILD = path.join(__dirname, 'support', 'webhook-owners.child.ts');

/**
 * An owner's list of webhook endpoint ids (`webhook_owners`, changed by `$addToSet`/`$pull`) written
 * by two notifications processes at once on the real local store, where FerretDB rewrites the
 * whole document for either operator: the list must end with exactly the endpoints that exist.
 */
describe('webhook owner lists across two processes (real FerretDB)', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(process.env.MONGO_URL!, { dbName: `webhook_owners_${randomUUID().slice(0, 8)}` })
      .asPromise();
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  async function race(lock: 'claims' | 'local', owner: string) {
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
    const listed = (await connection.db!.collection<WebhookOwnerRecord>('webhook_owners').findOne({ _id: owner }))
      ?.endpointIds;
    return { kept: results.flatMap((r) => r.kept).sort(), listed: [...(listed ?? [])].sort() };
  }

  it('lists exactly the endpoints left when two processes register and delete at once, under claims', async () => {
    const { kept, listed } = await race('claims', 'org:race-claims');
    expect(kept).toHaveLength(30);
    expect(listed).toEqual(kept);
    expect(await connection.db!.collection(WRITE_CLAIMS_COLLECTION).countDocuments()).toBe(0);
  });

  it('loses or resurrects ids without the claims (what they prevent)', async () => {
    await expect(showsLostUpdate(5, (round) => race('local', `org:race-local-${round}`))).resolves.toBe(true);
  });

  // Production's plan: `$addToSet`/`$pull` are atomic on MongoDB, so no claim is taken there.
  it.each<[QueryPlan, number]>([
    ['auto', 1],
    ['mongodb', 0],
  ])('with the %s plan, registering an endpoint inserts %i claim(s)', async (plan, claims) => {
    const planned = withQueryPlan(plan)(
      await mongoose
        .createConnection(process.env.MONGO_URL!, { dbName: connection.name, monitorCommands: true })
        .asPromise(),
    );
    try {
      let inserts = 0;
      planned.getClient().on('commandStarted', (e) => {
        if (e.commandName === 'insert' && (e.command as { insert: string }).insert === WRITE_CLAIMS_COLLECTION)
          inserts++;
      });
      const repository = new WebhooksRepository(
        planned.model<WebhookEndpointRecord>(WebhookEndpointRecord.name, WebhookEndpointSchema),
        planned.model<WebhookOwnerRecord>(WebhookOwnerRecord.name, WebhookOwnerSchema),
        planned.model<ParcelShipperRecord>(ParcelShipperRecord.name, ParcelShipperSchema),
        planned.model<WebhookDeliveryRecord>(WebhookDeliveryRecord.name, WebhookDeliverySchema),
      );
      const now = new Date();
      await repository.createEndpoint({
        _id: `plan-${plan}`,
        ownerId: `user:plan-${plan}`,
        url: 'https://hooks.example.com/plan',
        description: '',
        eventTypes: ['ParcelArrived'],
        secrets: [{ secret: 'whsec_test', createdAt: now, expiresAt: null }],
        status: 'enabled',
        disabledReason: null,
        failingSince: null,
        createdAt: now,
        updatedAt: now,
      });
      expect(await repository.endpointIdsOf(`user:plan-${plan}`)).toEqual([`plan-${plan}`]);
      expect(inserts).toBe(claims);
    } finally {
      await planned.close();
    }
  });
});
