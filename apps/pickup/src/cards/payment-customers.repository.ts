import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, UpdateQuery } from 'mongoose';
import { WriteClaims } from '@app/persistence';
import { PaymentCustomer } from './payment-customer.schema';

/**
 * An account's provider customer: its card list and its default. Two pickup processes serving one
 * account write the same document (a card added in one, another removed in the other); FerretDB
 * rewrites the whole document for `$addToSet`/`$pull` with no compare-and-set, so every write holds
 * the account's claim (WriteClaims: none on MongoDB's plan, where these operators are atomic).
 */
@Injectable()
export class PaymentCustomersRepository {
  readonly claims: WriteClaims;

  constructor(@InjectModel(PaymentCustomer.name) readonly model: Model<PaymentCustomer>) {
    this.claims = WriteClaims.of(model);
  }

  findById(ownerId: string): Promise<PaymentCustomer | null> {
    return this.model.findById(ownerId).lean<PaymentCustomer>().exec();
  }

  /** Records the account's provider customer unless one is recorded; answers the one stored. */
  async createIfAbsent(ownerId: string, customerId: string, now: Date): Promise<PaymentCustomer | null> {
    await this.write(ownerId, { $setOnInsert: { customerId, cardIds: [], createdAt: now } }, true);
    return this.findById(ownerId);
  }

  async addCard(ownerId: string, cardId: string): Promise<void> {
    await this.write(ownerId, { $addToSet: { cardIds: cardId } });
  }

  /** Takes the card off the list; answers the customer as it is afterwards. */
  async removeCard(ownerId: string, cardId: string): Promise<PaymentCustomer | null> {
    await this.write(ownerId, { $pull: { cardIds: cardId } });
    return this.findById(ownerId);
  }

  async setDefault(ownerId: string, cardId: string): Promise<void> {
    await this.write(ownerId, { $set: { defaultPaymentMethodId: cardId } });
  }

  async clearDefault(ownerId: string): Promise<void> {
    await this.write(ownerId, { $unset: { defaultPaymentMethodId: 1 } });
  }

  private async write(ownerId: string, update: UpdateQuery<PaymentCustomer>, upsert = false): Promise<void> {
    await this.claims.runExclusive([ownerId], async (hold) => {
      hold.assertHeld();
      await this.model.updateOne({ _id: ownerId }, update, { upsert }).exec();
    });
  }
}
