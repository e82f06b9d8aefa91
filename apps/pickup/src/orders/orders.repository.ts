import { OutboxRelay, outboxUpdates } from '@app/messaging';
import { ConditionalUpdates, isDuplicateKeyError } from '@app/persistence';
import { afterTimeCursor, type TimeCursor } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, QueryFilter, UpdateQuery } from 'mongoose';
import { Order } from './order.schema';

/** Stamp orders, each with its outbox (OrderPlaced). */
@Injectable()
export class OrdersRepository {
  /** Every status change of an order (cancel, ship, deliver) goes through one per-document lock, which the relay also takes. */
  private readonly updates: ConditionalUpdates<Order>;

  constructor(
    @InjectModel(Order.name) private readonly model: Model<Order>,
    private readonly relay: OutboxRelay,
  ) {
    this.updates = outboxUpdates(model, relay);
  }

  /**
   * Inserts the order unless it exists (a repeated insert changes nothing), then publishes its
   * outbox; a failed flush is left to the relay's sweep.
   */
  async insertIfAbsent(order: Order): Promise<void> {
    try {
      await this.model.create(order);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    await this.relay.flush(this.model, [order._id]).catch(() => undefined);
  }

  findById(orderId: string): Promise<Order | null> {
    return this.model.findById(orderId).lean<Order>().exec();
  }

  findOwned(userId: string, orderId: string): Promise<Order | null> {
    return this.model.findOne({ _id: orderId, userId }).lean<Order>().exec();
  }

  /** Orders in one state, oldest first. */
  listByStatus(status: string, limit: number): Promise<Order[]> {
    return this.model.find({ status }).sort({ createdAt: 1, _id: 1 }).limit(limit).lean<Order[]>().exec();
  }

  /** Cancelled orders whose money has not gone back yet, at most `limit`. */
  findRefundPending(limit: number): Promise<Order[]> {
    return this.model.find({ refundPending: true }).limit(limit).lean<Order[]>().exec();
  }

  /** One page of the user's orders, newest first, after `cursor`: `limit + 1` rows tell whether more follow. */
  list(userId: string, limit: number, cursor: TimeCursor | undefined): Promise<Order[]> {
    return this.model
      .find({ userId, ...afterTimeCursor(cursor) })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<Order[]>()
      .exec();
  }

  /**
   * Cancels the user's order at `at` while it is in one of `from` (not yet shipped); its money is
   * pending until clearRefundPending. The order before, or null when it did not match.
   */
  cancel(orderId: string, userId: string, from: readonly string[], at: Date): Promise<Order | null> {
    return this.updateIf(
      orderId,
      { userId, status: { $in: [...from] } },
      { $set: { status: 'cancelled', cancelledAt: at, refundPending: true } },
    );
  }

  /** Records that a cancelled order's money went back (or was refused for good). */
  async clearRefundPending(orderId: string): Promise<void> {
    await this.updateIf(orderId, {}, { $unset: { refundPending: 1 } });
  }

  /** Ships a paid order under the label `trackingNumber` at `at`; the order before, or null when it was not paid. */
  ship(orderId: string, trackingNumber: string, at: Date): Promise<Order | null> {
    return this.updateIf(orderId, { status: 'paid' }, { $set: { status: 'shipped', trackingNumber, shippedAt: at } });
  }

  /** Marks delivered at `at` an order shipped under `trackingNumber` (repeats change nothing). */
  async markDelivered(orderId: string, trackingNumber: string, at: Date): Promise<void> {
    await this.updateIf(
      orderId,
      { status: 'shipped', trackingNumber },
      { $set: { status: 'delivered', deliveredAt: at } },
    );
  }

  /** Updates the order when it matches `condition`; returns it as it was before, or null when it did not match. */
  private updateIf(orderId: string, condition: QueryFilter<Order>, update: UpdateQuery<Order>): Promise<Order | null> {
    return this.updates.updateIf(orderId, condition, update);
  }
}
