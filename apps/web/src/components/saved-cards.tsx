import { lazy, Suspense, useState } from 'react';
import { api } from '../api/api-client';
import { ErrorSummary, Form, Loading, Select, Success, useAction, useLoad } from './ui';

export interface SavedCardView {
  cardId: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  isDefault: boolean;
}

/**
 * Local mode (no publishable key: GET /payments/config says `test-methods`): Stripe's test payment
 * methods stand in for the card element, so no card number is ever typed. With a key, Stripe's card
 * element (StripeCardForm) is used instead.
 */
const TEST_CARDS = [
  { value: 'pm_card_visa', label: 'Stripe test Visa' },
  { value: 'pm_card_mastercard', label: 'Stripe test Mastercard' },
  { value: 'pm_card_amex', label: 'Stripe test American Express' },
];

/** Its own chunk: Stripe.js and the card form load only when a publishable key is configured. */
const StripeCardForm = lazy(() => import('./stripe-card-form').then((m) => ({ default: m.StripeCardForm })));

export interface PaymentsConfig {
  publishableKey: string | null;
  mode: 'stripe' | 'test-methods';
}

export function cardLabel(card: Pick<SavedCardView, 'brand' | 'last4'>): string {
  return `${card.brand.toUpperCase()} ending ${card.last4}`;
}

/** The wallet's saved cards: add one, choose the default, remove one (each change is emailed to the account). */
export function SavedCards() {
  const [version, setVersion] = useState(0);
  const cards = useLoad(() => api.get<{ items: SavedCardView[] }>('/account/cards'), [version]);
  const payments = useLoad(() => api.get<PaymentsConfig>('/payments/config'), []);
  const [testCard, setTestCard] = useState(TEST_CARDS[0].value);
  const [notice, setNotice] = useState<string | null>(null);
  const done = (message: string) => {
    setNotice(message);
    setVersion((v) => v + 1);
  };
  const add = useAction(async () => {
    setNotice(null);
    const card = await api.post<SavedCardView>('/account/cards', { paymentMethodId: testCard });
    done(`Saved ${cardLabel(card)}. We emailed you about it.`);
  });
  const makeDefault = useAction(async (card: SavedCardView) => {
    setNotice(null);
    await api.post(`/account/cards/${encodeURIComponent(card.cardId)}/default`);
    done(`${cardLabel(card)} is now your default card.`);
  });
  const remove = useAction(async (card: SavedCardView) => {
    setNotice(null);
    await api.delete(`/account/cards/${encodeURIComponent(card.cardId)}`);
    done(`Removed ${cardLabel(card)}. We emailed you about it.`);
  });
  return (
    <section className="panel" aria-labelledby="cards-title">
      <h2 id="cards-title">Saved cards</h2>
      {notice ? <Success>{notice}</Success> : null}
      <ErrorSummary error={cards.error ?? add.error ?? makeDefault.error ?? remove.error} />
      {cards.loading ? <Loading what="saved cards" /> : null}
      {cards.data && cards.data.items.length === 0 ? <p className="muted">No saved cards yet.</p> : null}
      <ul className="item-list" data-testid="saved-cards">
        {cards.data?.items.map((card) => (
          <li key={card.cardId}>
            <div>
              <strong>{cardLabel(card)}</strong>
              {card.isDefault ? <span className="muted"> (default)</span> : null}
              <div className="muted">
                expires {String(card.expMonth).padStart(2, '0')}/{card.expYear}
              </div>
            </div>
            <div className="actions">
              {card.isDefault ? null : (
                <button
                  type="button"
                  onClick={() => void makeDefault.run(card)}
                  aria-label={`Make default: ${cardLabel(card)}`}
                >
                  Make default
                </button>
              )}
              <button
                type="button"
                className="danger"
                onClick={() => void remove.run(card)}
                aria-label={`Remove ${cardLabel(card)}`}
              >
                Remove
              </button>
            </div>
          </li>
        ))}
      </ul>
      {payments.error ? <ErrorSummary error={payments.error} /> : null}
      {payments.data?.publishableKey ? (
        <Suspense fallback={<Loading what="the card form" />}>
          <StripeCardForm
            publishableKey={payments.data.publishableKey}
            onSaved={(card) => done(`Saved ${cardLabel(card)}. We emailed you about it.`)}
          />
        </Suspense>
      ) : payments.data ? (
        <Form onSubmit={add.run} label="Save a card">
          <Select label="Card" value={testCard} onChange={setTestCard} options={TEST_CARDS} />
          <p className="muted">
            Local mode: Stripe&apos;s test payment methods stand in for Stripe&apos;s card element, which cannot load
            offline. No card number is typed or sent.
          </p>
          <button type="submit" className="primary" disabled={add.busy}>
            Save card
          </button>
        </Form>
      ) : null}
    </section>
  );
}
