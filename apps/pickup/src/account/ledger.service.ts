import { HttpException, HttpStatus, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ReceiptIssuedV1 } from '@app/contracts';
import { toOutboxEntries } from '@app/messaging';
import { EventFactory } from '../common/event-factory';
import { type LedgerEffect, type LedgerEntry, LedgerAccounts, type LedgerEntryKind } from './ledger-entry.schema';
import { LedgerRepository } from './ledger.repository';
import { Clock } from '@app/platform';

/** 402 with what is missing: the client can offer a top-up of exactly that. */
export class InsufficientBalanceException extends HttpException {
  constructor(balanceCents: number, amountCents: number) {
    super(
      {
        statusCode: HttpStatus.PAYMENT_REQUIRED,
        error: 'Payment Required',
        message: `the postage balance (${balanceCents} cents) is short of ${amountCents - balanceCents} cents`,
        code: 'insufficient_balance',
        balanceCents,
        amountCents,
        shortfallCents: amountCents - balanceCents,
      },
      HttpStatus.PAYMENT_REQUIRED,
    );
  }
}

/** Applies an effect (an idempotent insert of the document an entry pays for). */
export type EffectApplier = (document: Record<string, unknown>) => Promise<void>;

export interface PostingInput {
  id: string;
  ownerId: string;
  kind: LedgerEntryKind;
  amountCents: number;
  description: string;
  method: 'balance' | 'card';
  paymentId?: string;
  card?: LedgerEntry['card'];
  subjectId?: string;
  effect?: LedgerEffect;
}

/** How long an entry's effect may stay unapplied before the sweep applies it (the writer normally does at once). */
const EFFECT_GRACE_MS = 10_000;

/**
 * The postage ledger: double entry, insert-only, integer cents. The balance is the sum of the
 * owner's entries; an entry carries the business change it pays for (outbox-style) so that a crash
 * after the insert never leaves money moved and nothing issued.
 */
@Injectable()
export class LedgerService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LedgerService.name);
  private readonly appliers = new Map<LedgerEffect['type'], EffectApplier>();
  private sweepTimer?: NodeJS.Timeout;

  constructor(
    readonly repository: LedgerRepository,
    private readonly clock: Clock,
    private readonly events: EventFactory,
  ) {}

  onModuleInit(): void {
    // Owners with entries from before the balance read model get their document (once, in the background).
    void this.repository
      .backfillBalances()
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, 'balance backfill failed; reads sum the ledger until it runs'),
      );
    this.sweepTimer = setInterval(() => void this.applyPendingEffects().catch(() => undefined), 5_000);
    this.sweepTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweepTimer);
  }

  registerEffect(type: LedgerEffect['type'], applier: EffectApplier): void {
    this.appliers.set(type, applier);
  }

  balanceOf(ownerId: string): Promise<number> {
    return this.repository.balanceOf(ownerId);
  }

  /** Credits the owner's balance from a card payment (a top-up); false when already credited. */
  async creditTopUp(input: Omit<PostingInput, 'kind' | 'method' | 'effect'>): Promise<boolean> {
    const entry = this.entry({ ...input, kind: 'top_up', method: 'card' }, [
      { account: LedgerAccounts.provider, amountCents: input.amountCents },
      { account: LedgerAccounts.customer(input.ownerId), amountCents: -input.amountCents },
    ]);
    return (await this.repository.post(entry)).inserted;
  }

  /**
   * Pays `amountCents` from the owner's balance and writes the entry with its effect, under the
   * owner's claim. 402 when the balance is short. Returns the entry (the existing one on a repeat).
   */
  async debitBalance(input: Omit<PostingInput, 'method'>): Promise<LedgerEntry> {
    const entry = this.entry({ ...input, method: 'balance' }, [
      { account: LedgerAccounts.customer(input.ownerId), amountCents: input.amountCents },
      { account: LedgerAccounts.revenue, amountCents: -input.amountCents },
    ]);
    const posted = await this.repository.post(entry, (balance) => {
      if (balance < input.amountCents) throw new InsufficientBalanceException(balance, input.amountCents);
    });
    return posted.entry;
  }

  /** Records a card payment for a purchase (processor → revenue), with its effect. */
  async recordCardPayment(input: Omit<PostingInput, 'method'>): Promise<LedgerEntry> {
    const entry = this.entry({ ...input, method: 'card' }, [
      { account: LedgerAccounts.provider, amountCents: input.amountCents },
      { account: LedgerAccounts.revenue, amountCents: -input.amountCents },
    ]);
    if (await this.repository.insert(entry)) return entry;
    return (await this.repository.findById(input.id)) ?? entry;
  }

  /** Returns money for a purchase: to the balance, or back to the card (revenue → processor). */
  async recordRefund(input: Omit<PostingInput, 'effect'>): Promise<boolean> {
    const to = input.method === 'balance' ? LedgerAccounts.customer(input.ownerId) : LedgerAccounts.provider;
    const entry = this.entry(input, [
      { account: LedgerAccounts.revenue, amountCents: input.amountCents },
      { account: to, amountCents: -input.amountCents },
    ]);
    return input.method === 'balance' ? (await this.repository.post(entry)).inserted : this.repository.insert(entry);
  }

  /** Applies an entry's effect now (the writer's path), then marks it applied. */
  async applyEffect(entry: LedgerEntry): Promise<void> {
    if (entry.effect.type === 'none' || entry.effect.appliedAt || !entry.effect.document) return;
    const applier = this.appliers.get(entry.effect.type);
    if (!applier) throw new Error(`no applier registered for ledger effect ${entry.effect.type}`);
    await applier(entry.effect.document);
    await this.repository.markEffectApplied(entry._id);
  }

  /** The sweep: effects a crash left unapplied. Returns how many it applied. */
  async applyPendingEffects(): Promise<number> {
    const pending = await this.repository.pendingEffects(new Date(this.clock.now().getTime() - EFFECT_GRACE_MS));
    let applied = 0;
    for (const entry of pending) {
      try {
        await this.applyEffect(entry);
        applied += 1;
      } catch (error) {
        this.logger.error({ err: error, entryId: entry._id }, 'could not apply a ledger effect; will retry');
      }
    }
    return applied;
  }

  private entry(
    input: Omit<PostingInput, 'effect'> & { effect?: LedgerEffect },
    lines: LedgerEntry['lines'],
  ): LedgerEntry {
    if (!Number.isSafeInteger(input.amountCents) || input.amountCents <= 0) {
      throw new Error(`ledger amounts are positive integer cents, got ${input.amountCents}`);
    }
    if (lines.reduce((sum, line) => sum + line.amountCents, 0) !== 0) throw new Error('unbalanced ledger entry');
    const customer = LedgerAccounts.customer(input.ownerId);
    // A debit of the customer's account spends balance: the balance change is its negation.
    const balanceChangeCents = -lines.filter((l) => l.account === customer).reduce((s, l) => s + l.amountCents, 0);
    const createdAt = this.clock.now();
    // The receipt email leaves with the entry (outbox): one per payment, top-up and refund.
    const receipt = this.events.create(ReceiptIssuedV1, input.ownerId, {
      receiptId: input.id,
      userId: input.ownerId,
      kind: input.kind,
      description: input.description,
      subtotalCents: input.amountCents,
      taxCents: 0,
      totalCents: input.amountCents,
      method: input.method,
      ...(input.card ? { card: { brand: input.card.brand, last4: input.card.last4 } } : {}),
      issuedAt: createdAt.toISOString(),
    });
    return {
      _id: input.id,
      ownerId: input.ownerId,
      kind: input.kind,
      lines,
      balanceChangeCents,
      amountCents: input.amountCents,
      description: input.description,
      method: input.method,
      paymentId: input.paymentId,
      card: input.card,
      subjectId: input.subjectId,
      effect: input.effect ?? { type: 'none' },
      createdAt,
      outbox: toOutboxEntries([receipt]),
    };
  }
}
