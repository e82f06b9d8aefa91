import type { EventEnvelope } from '@app/contracts';
import { OutboxRelay, outboxUpdates, withOutbox } from '@app/messaging';
import { ConditionalUpdates, findByIds } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { SavedCard } from './saved-card.schema';

/** The fields of a card as saved (everything but its id and outbox). */
export type SavedCardFields = Omit<SavedCard, '_id' | 'outbox' | 'removedAt'>;

/** Saved cards, keyed by the provider's payment method id, each with its outbox ("card added/removed" emails). */
@Injectable()
export class SavedCardsRepository {
  /** Every write of a saved card holds its lock, which the outbox relay also takes. */
  private readonly updates: ConditionalUpdates<SavedCard>;

  constructor(
    @InjectModel(SavedCard.name) private readonly cards: Model<SavedCard>,
    private readonly relay: OutboxRelay,
  ) {
    this.updates = outboxUpdates(cards, relay);
  }

  findById(id: string): Promise<SavedCard | null> {
    return this.cards.findById(id).lean<SavedCard>().exec();
  }

  /** The cards of `ids` that exist, read by `_id` one by one (point reads, not a scan, on FerretDB). */
  findMany(ids: readonly string[]): Promise<SavedCard[]> {
    return findByIds(this.cards.collection as never, ids);
  }

  /** Runs `write` while this card's id is locked against every other writer (and the relay). */
  exclusive<T>(id: string, write: () => Promise<T>): Promise<T> {
    return this.updates.lock.runExclusive([id], write);
  }

  /** Writes the card as saved and active (a removed one comes back), with `events` in its outbox; call inside `exclusive`. */
  async saveActive(id: string, card: SavedCardFields, events: readonly EventEnvelope[]): Promise<void> {
    await this.cards
      .updateOne({ _id: id }, withOutbox({ $set: card, $unset: { removedAt: 1 } }, events), { upsert: true })
      .exec();
  }

  /** Marks the owner's active card removed at `at`, with `events` in its outbox; false when it was not active. */
  async remove(id: string, ownerId: string, at: Date, events: readonly EventEnvelope[]): Promise<boolean> {
    const before = await this.updates.updateIf(
      id,
      { ownerId, status: 'active' },
      withOutbox({ $set: { status: 'removed', removedAt: at } }, events),
    );
    return before !== null;
  }

  /** Publishes the events just written to the card's outbox; a failure is left to the relay's sweep. */
  async flush(id: string): Promise<void> {
    await this.relay.flush(this.cards, [id]).catch(() => undefined);
  }
}
