import type { Model } from 'mongoose';
import { ConditionalUpdates } from '@app/persistence';
import { WriteClaims } from '@app/persistence';
import type { OutboxRelay } from './outbox-relay.service';

/**
 * The conditional updates of a collection whose documents carry an outbox, with the collection
 * handed to the relay: every writer and the relay's removal of published events take the same
 * per-document lock (claims, so it holds across processes on FerretDB).
 */
export function outboxUpdates<T extends { _id: string }>(model: Model<T>, relay: OutboxRelay): ConditionalUpdates<T> {
  const updates = new ConditionalUpdates(model, WriteClaims.of(model));
  relay.watch(model, { lock: updates.lock });
  return updates;
}
