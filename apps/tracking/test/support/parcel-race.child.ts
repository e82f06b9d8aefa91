// One tracking process of a two-process race on the real local store (parcel-claims e2e), built
// from tracking's own repositories and services with their own connection:
// RACE_MODE `ingest`: applies RACE_ITERATIONS scans to parcel RACE_PARCEL one batch at a time, and
//   the outbox relay (real Kafka) removes what each batch published, as the consumer does;
// `watch`: RACE_ITERATIONS users add that parcel to their watchlists (the HTTP handler's service);
// `watchlist`: one user (RACE_USER) adds RACE_ITERATIONS parcels to the one watchlist.
// RACE_LOCK `local` puts back the in-process locks alone (what the claims replaced).
import { createEnvelope, ScanRecordedV1, type ScanRecordedData } from '@app/contracts';
import { MessagingModule, OutboxRelay } from '@app/messaging';
import { ConditionalUpdates, KeyedLock } from '@app/persistence';
import { Clock, IdGenerator } from '@app/platform';
import { kafkaSasl } from '@app/testing/kafka';
import { childEnv, raceChild, raceConnection } from '@app/testing/race-child';
import { NestFactory } from '@nestjs/core';
import { logLevel } from 'kafkajs';
import type { AddressesService } from '../../src/addresses/addresses.service';
import type { TrackingConfig } from '../../src/config';
import { ParcelIngestService } from '../../src/ingest/parcel-ingest.service';
import type { TrackingReadModel } from '../../src/lookup/tracking-read-model';
import { ParcelRepository } from '../../src/parcels/parcel.repository';
import { PARCEL_MODEL, type ParcelDocument, ParcelSchema } from '../../src/parcels/parcel.schema';
import { WatchlistRepository } from '../../src/watchlist/watchlist.repository';
import { WATCHLIST_MODEL, type WatchlistDocument, WatchlistSchema } from '../../src/watchlist/watchlist.schema';
import { WatchlistService } from '../../src/watchlist/watchlist.service';
import { trackingNumberOf } from './race-numbers';

const mode = childEnv('RACE_MODE');
const tag = childEnv('RACE_TAG');
const iterations = Number(childEnv('RACE_ITERATIONS'));
const local = childEnv('RACE_LOCK') === 'local';
const facility = { name: 'DENVER MAIN POST OFFICE', city: 'DENVER', state: 'CO', zip: '80202' };

function scan(trackingNumber: string, i: number) {
  const data: ScanRecordedData = {
    eventId: `${tag}-${i}-${trackingNumber}`,
    trackingNumber,
    // every other scan a status change, so batches carry outbox events for the relay
    code: i % 2 === 0 ? 'in_transit' : 'arrived_at_facility',
    occurredAt: new Date(Date.UTC(2025, 4, 1, 0, 0, i)).toISOString(),
    facility,
  };
  return createEnvelope({
    id: data.eventId,
    type: ScanRecordedV1.type,
    version: 1,
    key: trackingNumber,
    data,
    source: 'e2e',
  });
}

raceChild(
  async () => {
    const connection = await raceConnection();
    const ids = new IdGenerator();
    const parcels = new ParcelRepository(connection.model<ParcelDocument>(PARCEL_MODEL, ParcelSchema), ids);
    await parcels.onModuleInit();
    if (local) parcels.claims = new KeyedLock();
    const lists = new WatchlistRepository(connection.model<WatchlistDocument>(WATCHLIST_MODEL, WatchlistSchema));
    if (local)
      Object.assign(lists, { updates: new ConditionalUpdates(connection.model<WatchlistDocument>(WATCHLIST_MODEL)) });
    const config = { TRACKING_WATCHLIST_MAX: 1_000 } as TrackingConfig;
    const watchlists = new WatchlistService(lists, parcels, new Clock(), config);
    let ingest: ParcelIngestService | undefined;
    if (mode === 'ingest') {
      const app = await NestFactory.createApplicationContext(
        MessagingModule.forRoot({
          clientId: `parcel-race-${tag}`,
          brokers: childEnv('KAFKA_BROKERS').split(','),
          sasl: kafkaSasl(),
          topicPrefix: childEnv('TEST_TOPIC_PREFIX'),
          logLevel: logLevel.NOTHING,
          outbox: { sweepIntervalMs: 0 },
        }),
        { logger: ['error'] },
      );
      // Addressees and the Redis read model are not what races here.
      const addresses = { addresseesByKey: () => Promise.resolve(new Map()) } as unknown as AddressesService;
      const views = { publish: () => Promise.resolve() } as unknown as TrackingReadModel;
      ingest = new ParcelIngestService(parcels, addresses, app.get(OutboxRelay), new Clock(), ids, views);
      ingest.onModuleInit();
    }
    return { watchlists, ingest };
  },
  async ({ watchlists, ingest }) => {
    const parcel = process.env.RACE_PARCEL ?? '';
    /** what each acknowledged write added: a scan's id, a watcher, a listed number */
    const acknowledged: string[] = [];
    const failures: string[] = [];
    for (let i = 0; i < iterations; i++) {
      try {
        if (mode === 'ingest') {
          const envelope = scan(parcel, i);
          await ingest!.apply([{ kind: 'scan', envelope }]);
          acknowledged.push(envelope.id);
        } else if (mode === 'watch') {
          await watchlists.add(`user-${tag}-${i}`, parcel);
          acknowledged.push(`user-${tag}-${i}`);
        } else {
          await watchlists.add(childEnv('RACE_USER'), trackingNumberOf(tag, i));
          acknowledged.push(trackingNumberOf(tag, i));
        }
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
    }
    return { acknowledged, failures };
  },
);
