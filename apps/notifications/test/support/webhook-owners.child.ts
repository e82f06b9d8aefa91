// One notifications process of a two-process race on the real local store (webhook-owners e2e),
// built from the webhooks repository with its own connection: it registers RACE_ITERATIONS
// endpoints of owner RACE_OWNER and deletes every other one again, as two replicas serving one
// organisation's members would. RACE_LOCK `local` leaves the owner list's claims out.
import { KeyedLock } from '@app/persistence';
import { childEnv, raceChild, raceConnection } from '@app/testing/race-child';
import {
  ParcelShipperRecord,
  ParcelShipperSchema,
  WebhookDeliveryRecord,
  WebhookDeliverySchema,
  WebhookEndpointRecord,
  WebhookEndpointSchema,
  WebhookOwnerRecord,
  WebhookOwnerSchema,
} from '../../src/webhooks/webhook.schema';
import { WebhooksRepository } from '../../src/webhooks/webhooks.repository';

const tag = childEnv('RACE_TAG');
const owner = childEnv('RACE_OWNER');
const iterations = Number(childEnv('RACE_ITERATIONS'));

raceChild(
  async () => {
    const connection = await raceConnection();
    const repository = new WebhooksRepository(
      connection.model<WebhookEndpointRecord>(WebhookEndpointRecord.name, WebhookEndpointSchema),
      connection.model<WebhookOwnerRecord>(WebhookOwnerRecord.name, WebhookOwnerSchema),
      connection.model<ParcelShipperRecord>(ParcelShipperRecord.name, ParcelShipperSchema),
      connection.model<WebhookDeliveryRecord>(WebhookDeliveryRecord.name, WebhookDeliverySchema),
    );
    if (childEnv('RACE_LOCK') === 'local') Object.assign(repository, { ownerClaims: new KeyedLock() });
    return repository;
  },
  async (repository) => {
    const kept: string[] = [];
    const now = new Date();
    for (let i = 0; i < iterations; i++) {
      const record: WebhookEndpointRecord = {
        _id: `${owner}-${tag}-${i}`,
        ownerId: owner,
        url: `https://hooks.example.com/${tag}/${i}`,
        description: '',
        eventTypes: ['ParcelArrived'],
        secrets: [{ secret: 'whsec_test', createdAt: now, expiresAt: null }],
        status: 'enabled',
        disabledReason: null,
        failingSince: null,
        createdAt: now,
        updatedAt: now,
      };
      await repository.createEndpoint(record);
      if (i % 2 === 0) await repository.deleteEndpoint(record);
      else kept.push(record._id);
    }
    return { kept };
  },
);
