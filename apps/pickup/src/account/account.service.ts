import type { Language } from '@app/contracts/i18n/languages';
import { ledgerDescription } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { DEFAULT_PAGE_SIZE, encodeTimeCursor, pageOf, type Page, Clock, IdGenerator } from '@app/platform';
import { SavedCardsService } from '../cards/saved-cards.service';
import { derivedId } from '../payments/idempotency.service';
import type { CardSummary } from '../payments/payment-provider';
import { PaymentProvider } from '../payments/payment-provider';
import type { TopUpDto } from './dto/top-up.dto';
import type { LedgerEntry } from './ledger-entry.schema';
import { LedgerService } from './ledger.service';
import type { TopUpStatus } from './top-up.schema';
import { TopUpsRepository } from './top-ups.repository';

export interface BalanceView {
  balanceCents: number;
  currency: 'usd';
}

export interface LedgerEntryView {
  entryId: string;
  kind: string;
  amountCents: number;
  balanceChangeCents: number;
  description: string;
  method: 'balance' | 'card';
  card?: CardSummary;
  subjectId?: string;
  createdAt: string;
}

export interface TopUpView {
  topUpId: string;
  amountCents: number;
  status: TopUpStatus;
  /** For Stripe.js when the top-up still needs the browser to confirm the card. */
  clientSecret?: string;
  balanceCents: number;
}

/** An entry as the API shows it; the description in `language` (it is stored in English). */
export function toEntryView(entry: LedgerEntry, language: Language = 'en'): LedgerEntryView {
  return {
    entryId: entry._id,
    kind: entry.kind,
    amountCents: entry.amountCents,
    balanceChangeCents: entry.balanceChangeCents,
    description: ledgerDescription(entry.description, language),
    method: entry.method,
    card: entry.card,
    subjectId: entry.subjectId,
    createdAt: entry.createdAt.toISOString(),
  };
}

export const topUpEntryId = (paymentId: string) => `top_up:${paymentId}`;

@Injectable()
export class AccountService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly provider: PaymentProvider,
    private readonly topUps: TopUpsRepository,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly cards: SavedCardsService,
  ) {}

  async balance(ownerId: string): Promise<BalanceView> {
    return { balanceCents: await this.ledger.balanceOf(ownerId), currency: 'usd' };
  }

  async history(
    ownerId: string,
    limit = DEFAULT_PAGE_SIZE,
    cursor?: string,
    language: Language = 'en',
  ): Promise<Page<LedgerEntryView>> {
    const rows = await this.ledger.repository.list(ownerId, limit, cursor);
    return pageOf(
      rows,
      limit,
      (last) => encodeTimeCursor({ createdAt: last.createdAt, id: last._id }),
      (entry) => toEntryView(entry, language),
    );
  }

  /**
   * A top-up is a PaymentIntent. Confirmed here when the caller names a payment method (and then
   * credited at once when it succeeded), else by the browser; the webhook credits it either way,
   * once (the entry's `_id` is the intent's).
   */
  async topUp(ownerId: string, input: TopUpDto, scope?: string): Promise<TopUpView> {
    const payer = input.paymentMethodId ? await this.cards.payerOf(ownerId, input.paymentMethodId) : {};
    const intent = await this.provider.createIntent({
      amountCents: input.amountCents,
      paymentMethodId: input.paymentMethodId,
      customerId: payer.customerId,
      idempotencyKey: scope ? derivedId(scope, 'top-up') : this.ids.uuid(),
      description: 'Postage balance top-up',
      metadata: { purpose: 'top_up', ownerId },
    });
    const status: TopUpStatus = intent.status === 'succeeded' ? 'succeeded' : 'pending';
    await this.topUps.record(
      intent.id,
      { ownerId, amountCents: input.amountCents, createdAt: this.clock.now() },
      status,
    );
    if (status === 'succeeded') await this.credit(intent.id, ownerId, input.amountCents, intent.card);
    return {
      topUpId: intent.id,
      amountCents: input.amountCents,
      status,
      clientSecret: status === 'succeeded' ? undefined : intent.clientSecret,
      balanceCents: await this.ledger.balanceOf(ownerId),
    };
  }

  /** The provider says a top-up's payment succeeded (webhook): credit it once. */
  async topUpSucceeded(paymentId: string, metadataOwnerId: string | undefined, amountCents: number): Promise<void> {
    const known = await this.topUps.findById(paymentId);
    const ownerId = known?.ownerId ?? metadataOwnerId;
    if (!ownerId) return;
    const credited = known?.amountCents ?? amountCents;
    await this.credit(paymentId, ownerId, credited);
    await this.topUps.markSucceeded(paymentId, { ownerId, amountCents: credited, createdAt: this.clock.now() });
  }

  async topUpFailed(paymentId: string): Promise<void> {
    await this.topUps.markFailed(paymentId);
  }

  private credit(paymentId: string, ownerId: string, amountCents: number, card?: CardSummary): Promise<boolean> {
    return this.ledger.creditTopUp({
      id: topUpEntryId(paymentId),
      ownerId,
      amountCents,
      description: `Top-up of $${(amountCents / 100).toFixed(2)}`,
      paymentId,
      card,
    });
  }
}
