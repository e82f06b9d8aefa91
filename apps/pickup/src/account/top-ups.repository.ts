import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { type DocumentLock, WriteClaims } from '@app/persistence';
import { TopUp, type TopUpStatus } from './top-up.schema';

/**
 * The statuses each status may replace, so a top-up's status only moves forward: `pending` is only
 * ever the first state (a late HTTP write of it changes nothing), `failed` replaces only `pending`,
 * and `succeeded` is final. `succeeded` also replaces `failed`: Stripe reports a later successful
 * attempt of the same PaymentIntent after a failed one, and then the money was taken (and credited).
 */
const REPLACES: Record<TopUpStatus, readonly TopUpStatus[]> = {
  pending: [],
  failed: ['pending'],
  succeeded: ['pending', 'failed'],
};

/** Balance top-ups, keyed by the provider's payment id. */
@Injectable()
export class TopUpsRepository {
  /**
   * Held around every status write: the HTTP call that creates a top-up and the webhook handlers of
   * any pickup replica write one document, and FerretDB applies a conditional update as a read and a
   * rewrite, so a `failed` whose read saw `pending` could land over a `succeeded` written meanwhile
   * (on MongoDB's plan the status filter alone is atomic).
   */
  readonly claims: DocumentLock;

  constructor(@InjectModel(TopUp.name) private readonly topUps: Model<TopUp>) {
    this.claims = WriteClaims.of(topUps);
  }

  /** Records the top-up (owner, amount, time) the first time; later, moves its status forward only. */
  record(paymentId: string, fields: Omit<TopUp, '_id' | 'status'>, status: TopUpStatus): Promise<void> {
    return this.claims.runExclusive([paymentId], async (hold) => {
      hold.assertHeld();
      const written = await this.topUps
        .updateOne({ _id: paymentId }, { $setOnInsert: { ...fields, status } }, { upsert: true })
        .exec();
      if (written.upsertedCount > 0) return;
      hold.assertHeld();
      await this.advance(paymentId, status);
    });
  }

  findById(paymentId: string): Promise<TopUp | null> {
    return this.topUps.findById(paymentId).lean<TopUp>().exec();
  }

  /**
   * The payment succeeded (webhook): `succeeded` over `pending` or `failed`. The webhook may come
   * before the HTTP call that creates the top-up has stored it: the top-up is then recorded here,
   * succeeded, and that call's late `pending` changes nothing.
   */
  markSucceeded(paymentId: string, fields: Omit<TopUp, '_id' | 'status'>): Promise<void> {
    return this.record(paymentId, fields, 'succeeded');
  }

  /** A pending top-up failed; a settled one keeps its status. */
  markFailed(paymentId: string): Promise<void> {
    return this.claims.runExclusive([paymentId], async (hold) => {
      hold.assertHeld();
      await this.advance(paymentId, 'failed');
    });
  }

  /** Sets `status` where it replaces the stored one (REPLACES); callers hold the top-up's claim. */
  private async advance(paymentId: string, status: TopUpStatus): Promise<void> {
    const from = REPLACES[status];
    if (from.length === 0) return;
    await this.topUps.updateOne({ _id: paymentId, status: { $in: [...from] } }, { $set: { status } }).exec();
  }
}
