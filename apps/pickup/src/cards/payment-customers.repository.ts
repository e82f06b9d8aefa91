import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { PaymentCustomer } from './payment-customer.schema';

/** Accounts' customers at the payment provider, keyed by the owner's id, with their saved cards' ids and default. */
@Injectable()
export class PaymentCustomersRepository {
  constructor(@InjectModel(PaymentCustomer.name) private readonly customers: Model<PaymentCustomer>) {}

  findById(ownerId: string): Promise<PaymentCustomer | null> {
    return this.customers.findById(ownerId).lean<PaymentCustomer>().exec();
  }

  /** Records the owner's provider customer unless one is recorded already (two first calls racing keep one). */
  async insertIfAbsent(ownerId: string, customerId: string, createdAt: Date): Promise<void> {
    await this.customers
      .updateOne({ _id: ownerId }, { $setOnInsert: { customerId, cardIds: [], createdAt } }, { upsert: true })
      .exec();
  }

  async addCard(ownerId: string, cardId: string): Promise<void> {
    await this.customers.updateOne({ _id: ownerId }, { $addToSet: { cardIds: cardId } }).exec();
  }

  async removeCard(ownerId: string, cardId: string): Promise<void> {
    await this.customers.updateOne({ _id: ownerId }, { $pull: { cardIds: cardId } }).exec();
  }

  async setDefault(ownerId: string, cardId: string): Promise<void> {
    await this.customers.updateOne({ _id: ownerId }, { $set: { defaultPaymentMethodId: cardId } }).exec();
  }

  async clearDefault(ownerId: string): Promise<void> {
    await this.customers.updateOne({ _id: ownerId }, { $unset: { defaultPaymentMethodId: 1 } }).exec();
  }
}
