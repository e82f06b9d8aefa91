// One process of a two-process race on one document of the real local store (write-claims e2e).
// RACE_MODE `counter`: read-modify-write of a counter under the lock; `outbox`: an HTTP-style
// conditional update that adds a field and an event, then the outbox relay's flush of the document
// (publish to Kafka, remove the published entries), as every service does after a write.
// RACE_LOCK `claims` takes WriteClaims; `local` only the in-process KeyedLock (what it replaced).
import { registerEventDefinition } from '@app/contracts';
import { childEnv, raceChild, raceConnection } from '@app/testing/race-child';
import { NestFactory } from '@nestjs/core';
import { logLevel } from 'kafkajs';
import { type Model, Schema } from 'mongoose';
import { kafkaSasl } from '@app/testing/kafka';
import { MessagingModule, OutboxRelay, withOutbox } from '../../src';
import { ConditionalUpdates, type DocumentLock, KeyedLock, WriteClaims } from '@app/persistence';
import { SampleHappenedV1, sampleEvent } from './sample-event';

interface Aggregate {
  _id: string;
  n?: number;
  fields?: Record<string, number>;
  outbox?: unknown[];
}

const mode = childEnv('RACE_MODE');
const tag = childEnv('RACE_TAG');
const iterations = Number(childEnv('RACE_ITERATIONS'));
const docId = childEnv('RACE_DOC');

raceChild(
  async () => {
    const connection = await raceConnection();
    const model: Model<Aggregate> = connection.model<Aggregate>(
      'Aggregate',
      new Schema<Aggregate>(
        { _id: String, n: Number, fields: Schema.Types.Mixed, outbox: [Schema.Types.Mixed] },
        {
          versionKey: false,
          minimize: false,
        },
      ),
      'aggregates',
    );
    const lock: DocumentLock = childEnv('RACE_LOCK') === 'claims' ? WriteClaims.of(model) : new KeyedLock();
    let relay: OutboxRelay | undefined;
    if (mode === 'outbox') {
      registerEventDefinition(SampleHappenedV1);
      const app = await NestFactory.createApplicationContext(
        MessagingModule.forRoot({
          clientId: `claims-race-${tag}`,
          brokers: childEnv('KAFKA_BROKERS').split(','),
          sasl: kafkaSasl(),
          topicPrefix: childEnv('TEST_TOPIC_PREFIX'),
          logLevel: logLevel.NOTHING,
          outbox: { sweepIntervalMs: 0 },
        }),
        { logger: ['error'] },
      );
      const started = app.get<OutboxRelay>(OutboxRelay);
      started.watch(model, { lock });
      relay = started;
    }
    return { model, lock, relay, updates: new ConditionalUpdates(model, lock) };
  },
  async ({ model, lock, relay, updates }) => {
    const started = Date.now();
    for (let i = 0; i < iterations; i++) {
      if (mode === 'counter') {
        await lock.runExclusive([docId], async () => {
          const doc = await model.findById(docId).lean<Aggregate>().exec();
          await model.updateOne({ _id: docId }, { $set: { n: (doc?.n ?? 0) + 1 } }).exec();
        });
      } else {
        await updates.updateIf(docId, {}, withOutbox({ $set: { [`fields.${tag}${i}`]: i } }, [sampleEvent(docId, i)]));
        await relay!.flush(model, [docId]);
      }
    }
    return { ms: Date.now() - started };
  },
);
