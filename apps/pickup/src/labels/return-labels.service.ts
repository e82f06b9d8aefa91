import {
  BadRequestException,
  ConflictException,
  HttpException,
  NotFoundException,
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { ReturnChargeFailedV1 } from '@app/contracts';
import type { PaymentDto } from '../payments/dto/payment.dto';
import { CheckoutService } from '../account/checkout.service';
import { LedgerService } from '../account/ledger.service';
import { EventFactory } from '../common/event-factory';
import { PICKUP_CONFIG, type PickupConfig } from '../config';
import { PaymentDeclinedError, PaymentRequestError } from '../payments/payment-provider';
import { derivedId } from '../payments/idempotency.service';
import { RatesService } from '../rates/rates.service';
import type { CreateReturnLabelDto } from './dto/create-return-label.dto';
import { buildImpbPic } from './impb';
import type { Label } from './label.schema';
import { labelChargeId, LabelsService, toLabelView, type LabelView } from './labels.service';
import { LabelsRepository } from './labels.repository';
import { SerialAllocator } from './serial-allocator';
import { Clock } from '@app/platform';
import { newLabelDocument } from './label-document';

const MAX_SERIAL_ATTEMPTS = 5;
/** How often the sweep retries charges that an outage of the payment provider left due. */
const SWEEP_INTERVAL_MS = 10_000;

/** The ledger effect that marks a return label paid (the entry `label_charge:<labelId>` carries it). */
export const SETTLE_RETURN_LABEL = 'settle_return_label';

/** The id of an outbound label's return label: derived, so asking again finds the same one. */
export const returnLabelIdOf = (outboundLabelId: string) => derivedId(`return:${outboundLabelId}`, 'return-label');

/**
 * Prepaid return labels: issued free to the shipper who owns the outbound label (sender and recipient
 * swapped) and charged to that shipper only when the postal service first accepts the parcel.
 *
 * Charging is exactly-once: the acceptance write marks the charge `due`; the charge is the ledger
 * entry `label_charge:<labelId>` (a unique `_id`, and the card provider's idempotency key), so a
 * second scan, a replayed event or the sweep can never charge twice. A refused charge (declined
 * card, short balance) does not stop the parcel: it is already in the mail and its sender is the
 * shipper's customer, who has done nothing wrong. The charge is recorded `failed` on the label with
 * the reason, for the shipper (and the account team) to settle.
 */
@Injectable()
export class ReturnLabelsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ReturnLabelsService.name);
  private sweep?: NodeJS.Timeout;

  constructor(
    private readonly labels: LabelsService,
    private readonly repository: LabelsRepository,
    private readonly rates: RatesService,
    private readonly serials: SerialAllocator,
    private readonly events: EventFactory,
    private readonly clock: Clock,
    private readonly checkout: CheckoutService,
    private readonly ledger: LedgerService,
    @Inject(PICKUP_CONFIG) private readonly config: PickupConfig,
  ) {}

  onModuleInit(): void {
    this.ledger.registerEffect(SETTLE_RETURN_LABEL, (document) => this.markCharged(document));
    this.sweep = setInterval(() => void this.settleDue().catch(() => undefined), SWEEP_INTERVAL_MS);
    this.sweep.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweep);
  }

  /**
   * The return label of `outboundLabelId` (404 unless the caller owns it). `created` is false when it
   * existed already: one return label per outbound label, so a repeat answers the same one.
   */
  async create(
    userId: string,
    outboundLabelId: string,
    input: CreateReturnLabelDto,
    actedBy?: string,
  ): Promise<{ created: boolean; label: LabelView }> {
    const outbound = await this.labels.get(userId, outboundLabelId);
    const labelId = returnLabelIdOf(outbound.labelId);
    const existing = await this.repository.findOwned(userId, labelId);
    if (existing) return { created: false, label: toLabelView(existing) };
    if (outbound.returnOf) throw new ConflictException('this is a return label already; it has no return label');
    if (outbound.orderId)
      throw new ConflictException('this label ships a stamps order, which is not returned this way');
    if (outbound.status === 'refunded') throw new ConflictException('the outbound label is refunded');
    const service = input.service ?? outbound.service;
    // Sender and recipient swapped: the parcel goes back from where the outbound one went.
    const from = { ...outbound.to };
    const to = { ...outbound.from };
    const [rate] = this.rates.quote(from.zip, to.zip, { weightOz: outbound.weightOz, ...outbound.dimensions }, service);
    const createdAt = this.clock.now();
    for (let attempt = 0; attempt < MAX_SERIAL_ATTEMPTS; attempt++) {
      const { index, serial } = await this.serials.next();
      const trackingNumber = buildImpbPic(service, this.config.IMPB_MAILER_ID, serial);
      const label = newLabelDocument(this.events, {
        labelId,
        trackingNumber,
        serialIndex: index,
        userId,
        actedBy,
        rate,
        weightOz: outbound.weightOz,
        dimensions: outbound.dimensions,
        from,
        to,
        createdAt,
        more: {
          returnOf: outbound.labelId,
          returnCharge: {
            method: input.payment.method,
            ...(input.payment.paymentMethodId ? { paymentMethodId: input.payment.paymentMethodId } : {}),
            state: 'awaiting_scan',
          },
        },
      });
      if (await this.repository.insert(label)) {
        await this.repository.flush([trackingNumber]);
        return { created: true, label: toLabelView(label) };
      }
      // Either the tracking number collided, or a concurrent request created this return label.
      const raced = await this.repository.findOwned(userId, labelId);
      if (raced) return { created: false, label: toLabelView(raced) };
      await this.serials.recover('collision');
    }
    throw new ConflictException('could not allocate a unique tracking number; try again');
  }

  /**
   * Charges an accepted return label whose charge is due (after the acceptance write, and from the
   * sweep). Never throws: an outage leaves the charge due for the sweep; a refusal marks it failed.
   */
  async settle(label: Label): Promise<void> {
    const charge = label.returnCharge;
    if (charge?.state !== 'due') return;
    try {
      await this.checkout.purchase({
        entryId: labelChargeId(label.labelId),
        ownerId: label.userId,
        kind: 'label_charge',
        amountCents: label.priceCents,
        description: `Return label ${label._id} (${label.service}), charged on its first acceptance scan`,
        subjectId: label.labelId,
        payment: { method: charge.method, paymentMethodId: charge.paymentMethodId },
        effect: { type: SETTLE_RETURN_LABEL, document: { _id: label._id, paidBy: charge.method } },
      });
    } catch (error) {
      if (!isRefusal(error)) {
        this.logger.warn({ err: error, label: label._id }, 'return label charge not made yet; the sweep retries');
        return;
      }
      const reason = refusalReason(error);
      this.logger.warn({ label: label._id, reason }, 'return label charge refused; the parcel travels on');
      await this.recordFailure(label, 'due', reason);
    }
  }

  /**
   * The shipper pays a refused return-label charge with another card or the balance. Each try is its
   * own ledger entry (`label_charge:<labelId>:retry:<n>`, also the card provider's idempotency key), n
   * counted on the label, so a repeated or concurrent request pays once; a refusal answers 402 and
   * stays `failed` with the new reason (and is emailed like the first).
   */
  async payFailedCharge(userId: string, labelId: string, payment: PaymentDto): Promise<LabelView> {
    const label = await this.labels.get(userId, labelId);
    const charge = label.returnCharge;
    if (!charge) throw new NotFoundException('this label is not a return label: it has no return charge');
    if (charge.state === 'charged') return toLabelView(label); // paid already: a repeat answers the same
    if (charge.state !== 'failed') {
      throw new ConflictException(`the return charge is ${charge.state}: only a failed charge is paid this way`);
    }
    if (payment.method === 'balance' && payment.paymentMethodId !== undefined) {
      throw new BadRequestException('payment.paymentMethodId is only for method "card"');
    }
    const attempt = (charge.retries ?? 0) + 1;
    try {
      await this.checkout.purchase({
        entryId: `${labelChargeId(label.labelId)}:retry:${attempt}`,
        ownerId: label.userId,
        kind: 'label_charge',
        amountCents: label.priceCents,
        description: `Return label ${label._id} (${label.service}): the charge refused at its first scan, paid again`,
        subjectId: label.labelId,
        payment: { method: payment.method, paymentMethodId: payment.paymentMethodId },
        effect: { type: SETTLE_RETURN_LABEL, document: { _id: label._id, paidBy: payment.method } },
      });
    } catch (error) {
      if (isRefusal(error)) {
        // The next try is a new entry; this refusal is the one shown.
        await this.recordFailure(label, 'failed', refusalReason(error), attempt);
      }
      throw error;
    }
    return toLabelView((await this.repository.findByTrackingNumber(label._id)) ?? label);
  }

  /** Marks the charge failed with `reason` (from `from`), with a ReturnChargeFailed for the shipper's email. */
  private async recordFailure(label: Label, from: 'due' | 'failed', reason: string, retries?: number): Promise<void> {
    const failedAt = this.clock.now();
    const event = this.events.create(ReturnChargeFailedV1, label._id, {
      labelId: label.labelId,
      trackingNumber: label._id,
      userId: label.userId,
      ...(label.createdBy ? { actedBy: label.createdBy } : {}),
      priceCents: label.priceCents,
      reason,
      failedAt: failedAt.toISOString(),
    });
    const updated = await this.repository.failReturnCharge(label._id, from, { at: failedAt, reason, retries }, [event]);
    if (updated) await this.repository.flush([label._id]);
  }

  /** The sweep: due charges that an outage (or a crash after the acceptance write) left unpaid. */
  async settleDue(): Promise<number> {
    const due = await this.repository.findReturnChargesDue(50);
    for (const label of due) await this.settle(label);
    return due.length;
  }

  /** The ledger effect: the entry that charged the label exists, so the label says it is paid. */
  private async markCharged(document: Record<string, unknown>): Promise<void> {
    const { _id, paidBy } = document as { _id: string; paidBy: 'balance' | 'card' };
    await this.repository.markReturnCharged(_id, paidBy, this.clock.now());
  }
}

/** A refusal is final for this charge (a retry with the same key gets the same answer); anything else may pass. */
function isRefusal(error: unknown): boolean {
  if (error instanceof PaymentDeclinedError || error instanceof PaymentRequestError) return true;
  return error instanceof HttpException && error.getStatus() === 402;
}

function refusalReason(error: unknown): string {
  if (error instanceof PaymentDeclinedError) {
    return `card declined: ${error.code}${error.declineCode ? ` (${error.declineCode})` : ''}`;
  }
  if (error instanceof PaymentRequestError) return `payment refused: ${error.message}`;
  const body = (error as HttpException).getResponse() as { code?: string; message?: string };
  return `${body.code ?? 'payment_required'}: ${body.message ?? 'payment refused'}`;
}
