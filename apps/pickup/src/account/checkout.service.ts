import {
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { PICKUP_CONFIG, type PickupConfig } from '../config';
import { SavedCardsService } from '../cards/saved-cards.service';
import type { Checkout } from '../payments/checkout.schema';
import type { PaymentDto, PaymentView } from '../payments/dto/payment.dto';
import {
  PaymentDeclinedError,
  PaymentProvider,
  PaymentRequestError,
  type ProviderPayment,
} from '../payments/payment-provider';
import type { LedgerEffect, LedgerEntry } from './ledger-entry.schema';
import { CheckoutsRepository } from './checkouts.repository';
import { LedgerService } from './ledger.service';
import { Clock } from '@app/platform';

export interface PurchaseInput {
  /** The ledger entry id, also the provider's idempotency key: `label_charge:<labelId>`, … */
  entryId: string;
  ownerId: string;
  kind: 'label_charge' | 'order_charge';
  amountCents: number;
  description: string;
  subjectId: string;
  payment: PaymentDto;
  effect: { type: Exclude<LedgerEffect['type'], 'none'>; document: Record<string, unknown> };
}

export interface PurchaseResult {
  entry: LedgerEntry;
  payment: PaymentView;
}

export function paymentViewOf(entry: LedgerEntry): PaymentView {
  return { method: entry.method, amountCents: entry.amountCents, paymentId: entry.paymentId, card: entry.card };
}

/**
 * Pays for a purchase and applies it: from the balance (one ledger insert carrying the purchase), or
 * by card (a checkout record, the charge, then the ledger insert carrying the purchase). The purchase
 * exists only once its entry does; a crash between a card charge and its entry is finished by the sweep.
 */
@Injectable()
export class CheckoutService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(CheckoutService.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly ledger: LedgerService,
    private readonly provider: PaymentProvider,
    private readonly checkouts: CheckoutsRepository,
    private readonly clock: Clock,
    @Inject(PICKUP_CONFIG) private readonly config: PickupConfig,
    private readonly cards: SavedCardsService,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.finishInterrupted().catch(() => undefined), 5_000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** The entry that paid for a purchase, if it is booked. */
  booked(entryId: string): Promise<LedgerEntry | null> {
    return this.ledger.repository.findById(entryId);
  }

  /** Pays; answers the entry already booked when the same purchase is asked again (a retry). */
  async purchase(input: PurchaseInput): Promise<PurchaseResult> {
    const effect: LedgerEffect = { type: input.effect.type, document: input.effect.document };
    if (input.payment.method === 'balance') {
      const entry = await this.ledger.debitBalance({
        id: input.entryId,
        ownerId: input.ownerId,
        kind: input.kind,
        amountCents: input.amountCents,
        description: input.description,
        subjectId: input.subjectId,
        effect,
      });
      await this.ledger.applyEffect(entry);
      return { entry, payment: paymentViewOf(entry) };
    }
    const booked = await this.ledger.repository.findById(input.entryId);
    if (booked) {
      await this.ledger.applyEffect(booked);
      return { entry: booked, payment: paymentViewOf(booked) };
    }
    const paymentMethodId = input.payment.paymentMethodId ?? '';
    // Another account's saved card is refused (404) before anything is charged.
    const { customerId } = await this.cards.payerOf(input.ownerId, paymentMethodId);
    const checkout: Checkout = {
      _id: input.entryId,
      ownerId: input.ownerId,
      kind: input.kind,
      amountCents: input.amountCents,
      paymentMethodId,
      ...(customerId ? { customerId } : {}),
      idempotencyKey: input.entryId,
      description: input.description,
      subjectId: input.subjectId,
      effect: input.effect,
      state: 'charging',
      createdAt: this.clock.now(),
    };
    await this.checkouts.insertIfAbsent(checkout);
    let charged: ProviderPayment;
    try {
      charged = await this.charge(checkout);
    } catch (error) {
      // Refused: nothing was charged. An outage: the client retries with the same key (the same
      // provider key), so the checkout is dropped rather than charged later behind their back.
      await this.checkouts.delete(checkout._id);
      throw error;
    }
    // The crash window this checkout record exists for (fault suite): charged, not yet booked.
    if (this.config.PAYMENTS_CRASH_AFTER_CHARGE) process.kill(process.pid, 'SIGKILL');
    return this.book(checkout, charged);
  }

  /** The sweep: checkouts a crash left between the charge and its entry. Returns how many it finished. */
  async finishInterrupted(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.config.PAYMENTS_CHECKOUT_GRACE_MS);
    const stale = await this.checkouts.findStale(cutoff, 50);
    let finished = 0;
    for (const checkout of stale) {
      try {
        const entry = await this.ledger.repository.findById(checkout._id);
        if (entry) {
          await this.checkouts.delete(checkout._id);
          await this.ledger.applyEffect(entry);
        } else {
          // The same idempotency key: the provider answers the first charge's outcome, never a second charge.
          await this.book(checkout, await this.charge(checkout));
        }
        finished += 1;
      } catch (error) {
        if (error instanceof PaymentDeclinedError || error instanceof PaymentRequestError) {
          await this.checkouts.delete(checkout._id);
        } else {
          this.logger.warn(
            { err: error, checkout: checkout._id },
            'could not finish an interrupted checkout; will retry',
          );
        }
      }
    }
    return finished;
  }

  private async charge(checkout: Checkout): Promise<ProviderPayment> {
    const charged = await this.provider.charge({
      amountCents: checkout.amountCents,
      paymentMethodId: checkout.paymentMethodId,
      customerId: checkout.customerId,
      idempotencyKey: checkout.idempotencyKey,
      description: checkout.description,
      metadata: { purpose: checkout.kind, ownerId: checkout.ownerId, subjectId: checkout.subjectId },
    });
    if (charged.status !== 'succeeded') {
      throw new HttpException(
        {
          statusCode: HttpStatus.PAYMENT_REQUIRED,
          error: 'Payment Required',
          message: 'the card needs the customer to authenticate; pay in the portal or choose another card',
          code: 'authentication_required',
        },
        HttpStatus.PAYMENT_REQUIRED,
      );
    }
    return charged;
  }

  /** Books a successful charge with its purchase, drops the checkout, and applies the purchase. */
  private async book(checkout: Checkout, charged: ProviderPayment): Promise<PurchaseResult> {
    const entry = await this.ledger.recordCardPayment({
      id: checkout._id,
      ownerId: checkout.ownerId,
      kind: checkout.kind,
      amountCents: checkout.amountCents,
      description: checkout.description,
      paymentId: charged.id,
      card: charged.card,
      subjectId: checkout.subjectId,
      effect: { type: checkout.effect.type, document: checkout.effect.document },
    });
    // Once the entry exists the checkout has done its work (the ledger's sweep applies an effect a
    // crash leaves): dropped before the effect, so an issued purchase never has a checkout beside it.
    await this.checkouts.delete(checkout._id);
    await this.ledger.applyEffect(entry);
    return { entry, payment: paymentViewOf(entry) };
  }
}
