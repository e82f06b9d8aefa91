import { Injectable, Logger } from '@nestjs/common';
import { PaymentProvider } from '../payments/payment-provider';
import { LedgerService } from './ledger.service';

export interface RefundView {
  /** Where the money went: back to the balance, or to the card that paid. */
  method: 'balance' | 'card';
  amountCents: number;
  /** `pending` when the provider could not be reached: the sweep finishes it. */
  status: 'succeeded' | 'pending';
}

/**
 * Returns the whole price of a purchase the way it was paid (no partial refunds). Idempotent: the
 * refund's ledger entry and the provider's refund share the key `<kind>:<subjectId>`.
 */
@Injectable()
export class RefundService {
  private readonly logger = new Logger(RefundService.name);

  constructor(
    private readonly ledger: LedgerService,
    private readonly provider: PaymentProvider,
  ) {}

  /** Undefined when nothing was paid (a purchase from before payments). */
  async refund(
    chargeEntryId: string,
    refundEntryId: string,
    kind: 'label_refund' | 'order_refund',
    description: string,
  ): Promise<RefundView | undefined> {
    const charge = await this.ledger.repository.findById(chargeEntryId);
    if (!charge) return undefined;
    const view: RefundView = { method: charge.method, amountCents: charge.amountCents, status: 'succeeded' };
    if (await this.ledger.repository.findById(refundEntryId)) return view;
    if (charge.method === 'card' && charge.paymentId) {
      try {
        await this.provider.refund({
          paymentId: charge.paymentId,
          idempotencyKey: refundEntryId,
          metadata: { ownerId: charge.ownerId, subjectId: charge.subjectId ?? '' },
        });
      } catch (error) {
        this.logger.warn({ err: error, refund: refundEntryId }, 'card refund not made yet; the sweep retries');
        return { ...view, status: 'pending' };
      }
    }
    await this.ledger.recordRefund({
      id: refundEntryId,
      ownerId: charge.ownerId,
      kind,
      amountCents: charge.amountCents,
      description,
      method: charge.method,
      paymentId: charge.paymentId,
      card: charge.card,
      subjectId: charge.subjectId,
    });
    return view;
  }

  /** Credits part of a purchase to the owner's balance (one label of a batch paid in one charge). */
  async refundToBalance(input: {
    refundEntryId: string;
    ownerId: string;
    amountCents: number;
    description: string;
    subjectId: string;
  }): Promise<RefundView> {
    await this.ledger.recordRefund({
      id: input.refundEntryId,
      ownerId: input.ownerId,
      kind: 'label_refund',
      amountCents: input.amountCents,
      description: input.description,
      method: 'balance',
      subjectId: input.subjectId,
    });
    return { method: 'balance', amountCents: input.amountCents, status: 'succeeded' };
  }
}
