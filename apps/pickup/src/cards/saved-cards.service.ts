import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { SavedCardChangedV1 } from '@app/contracts';
import { EventFactory } from '../common/event-factory';
import { PaymentProvider } from '../payments/payment-provider';
import { type AddCardDto, MAX_SAVED_CARDS } from './dto/add-card.dto';
import type { PaymentCustomer } from './payment-customer.schema';
import { PaymentCustomersRepository } from './payment-customers.repository';
import type { SavedCard } from './saved-card.schema';
import { SavedCardsRepository } from './saved-cards.repository';
import { Clock, IdGenerator } from '@app/platform';

export interface SavedCardView {
  /** The card's id, also the `paymentMethodId` to pay with it. */
  cardId: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  isDefault: boolean;
  createdAt: string;
}

function toView(card: SavedCard, defaultId: string | undefined): SavedCardView {
  return {
    cardId: card.paymentMethodId,
    brand: card.brand,
    last4: card.last4,
    expMonth: card.expMonth,
    expYear: card.expYear,
    isDefault: card.paymentMethodId === defaultId,
    createdAt: card.createdAt.toISOString(),
  };
}

/**
 * Saved cards: a provider customer per account, cards attached to it by setup intents, one default.
 * Only brand, last 4 and expiry are kept; every add and remove is emailed (SavedCardChanged).
 */
@Injectable()
export class SavedCardsService {
  constructor(
    private readonly cards: SavedCardsRepository,
    private readonly customers: PaymentCustomersRepository,
    private readonly provider: PaymentProvider,
    private readonly events: EventFactory,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async list(ownerId: string): Promise<{ items: SavedCardView[] }> {
    const customer = await this.customers.findById(ownerId);
    if (!customer || (customer.cardIds ?? []).length === 0) return { items: [] };
    const cards = await this.cards.findMany(customer.cardIds ?? []);
    const items = cards
      .filter((card) => card.ownerId === ownerId && card.status === 'active')
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .map((card) => toView(card, customer.defaultPaymentMethodId));
    return { items };
  }

  /** A setup intent for Stripe.js to confirm with the card element; then POST /account/cards {setupIntentId}. */
  async createSetupIntent(ownerId: string): Promise<{ setupIntentId: string; clientSecret: string }> {
    const customer = await this.ensureCustomer(ownerId);
    const intent = await this.provider.createSetupIntent({
      customerId: customer.customerId,
      idempotencyKey: `setup_intent:${this.ids.uuid()}`,
    });
    return { setupIntentId: intent.id, clientSecret: intent.clientSecret };
  }

  async add(ownerId: string, input: AddCardDto): Promise<SavedCardView> {
    if ((input.paymentMethodId === undefined) === (input.setupIntentId === undefined)) {
      throw new BadRequestException('give exactly one of paymentMethodId and setupIntentId');
    }
    if (input.paymentMethodId && !input.paymentMethodId.startsWith('pm_card_')) {
      // A card already saved: the same card again is answered as it is; another account's is unknown here.
      const known = await this.cards.findById(input.paymentMethodId);
      if (known && known.ownerId !== ownerId) throw this.notFound(input.paymentMethodId);
      if (known?.status === 'active') return this.viewOf(ownerId, known);
    }
    const customer = await this.ensureCustomer(ownerId);
    if ((customer.cardIds ?? []).length >= MAX_SAVED_CARDS) {
      throw new ConflictException(`an account keeps at most ${MAX_SAVED_CARDS} saved cards; remove one first`);
    }
    const details = await this.provider.saveCard({
      customerId: customer.customerId,
      paymentMethodId: input.paymentMethodId,
      setupIntentId: input.setupIntentId,
      idempotencyKey: `save_card:${ownerId}:${input.paymentMethodId ?? input.setupIntentId}`,
    });
    const id = details.paymentMethodId;
    const now = this.clock.now();
    const saved = await this.cards.exclusive(id, async () => {
      const prior = await this.cards.findById(id);
      if (prior && prior.ownerId !== ownerId) throw this.notFound(id);
      if (prior?.status === 'active') return prior;
      const event = this.events.create(SavedCardChangedV1, ownerId, {
        userId: ownerId,
        change: 'added',
        brand: details.brand,
        last4: details.last4,
        occurredAt: now.toISOString(),
      });
      const card = { ownerId, ...details, status: 'active' as const, createdAt: now };
      await this.cards.saveActive(id, card, [event]);
      return { _id: id, ...card, outbox: [] };
    });
    await this.customers.addCard(ownerId, id);
    // The first card is the default until another is chosen.
    if (!customer.defaultPaymentMethodId) await this.makeDefault(ownerId, customer.customerId, id);
    await this.cards.flush(id);
    return this.viewOf(ownerId, saved);
  }

  async setDefault(ownerId: string, cardId: string): Promise<SavedCardView> {
    const card = await this.owned(ownerId, cardId);
    const customer = await this.ensureCustomer(ownerId);
    await this.makeDefault(ownerId, customer.customerId, cardId);
    return toView(card, cardId);
  }

  async remove(ownerId: string, cardId: string): Promise<void> {
    const card = await this.owned(ownerId, cardId);
    // Detached first: once we say it is gone, it cannot be charged through the customer.
    await this.provider.removeCard(cardId);
    const event = this.events.create(SavedCardChangedV1, ownerId, {
      userId: ownerId,
      change: 'removed',
      brand: card.brand,
      last4: card.last4,
      occurredAt: this.clock.now().toISOString(),
    });
    const removed = await this.cards.remove(cardId, ownerId, this.clock.now(), [event]);
    const customer = await this.customers.removeCard(ownerId, cardId);
    if (customer?.defaultPaymentMethodId === cardId) {
      const next = (await this.list(ownerId)).items[0];
      if (next) await this.makeDefault(ownerId, customer.customerId, next.cardId);
      else await this.customers.clearDefault(ownerId);
    }
    if (removed) await this.cards.flush(cardId);
  }

  /**
   * For a payment that names `paymentMethodId`: the caller's customer when it is one of their saved
   * cards (the provider charges it through the customer), nothing for a fresh card from Stripe.js or
   * a test method, and 404 when it is another account's card or one removed.
   */
  async payerOf(ownerId: string, paymentMethodId: string): Promise<{ customerId?: string }> {
    const card = await this.cards.findById(paymentMethodId);
    if (!card) return {};
    if (card.ownerId !== ownerId || card.status !== 'active') throw this.notFound(paymentMethodId);
    const customer = await this.customers.findById(ownerId);
    return { customerId: customer?.customerId };
  }

  private async makeDefault(ownerId: string, customerId: string, cardId: string): Promise<void> {
    await this.provider.setDefaultCard(customerId, cardId);
    await this.customers.setDefault(ownerId, cardId);
  }

  private async owned(ownerId: string, cardId: string): Promise<SavedCard> {
    const card = await this.cards.findById(cardId);
    // Another account's card is as unknown as a missing one.
    if (!card || card.ownerId !== ownerId || card.status !== 'active') throw this.notFound(cardId);
    return card;
  }

  private async viewOf(ownerId: string, card: SavedCard): Promise<SavedCardView> {
    const customer = await this.customers.findById(ownerId);
    return toView(card, customer?.defaultPaymentMethodId);
  }

  /** The account's provider customer, created once (the provider's idempotency key and our `_id` both per owner). */
  private async ensureCustomer(ownerId: string): Promise<PaymentCustomer> {
    const known = await this.customers.findById(ownerId);
    if (known) return known;
    const customerId = await this.provider.createCustomer({ ownerId, idempotencyKey: `customer:${ownerId}` });
    const created = await this.customers.createIfAbsent(ownerId, customerId, this.clock.now());
    if (!created) throw new Error(`payment customer of ${ownerId} vanished after its upsert`);
    return created;
  }

  private notFound(cardId: string): NotFoundException {
    return new NotFoundException(`payment method ${cardId} is not one of your saved cards`);
  }
}
