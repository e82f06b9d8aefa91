import { lazy, Suspense, useState } from 'react';
import { api } from '../api/api-client';
import { ErrorSummary, Form, Loading, Select, Success, useAction, useLoad } from './ui';
import { useTranslation } from 'react-i18next';
import i18next from 'i18next';
import type { ApiSchemas } from '../api/types';

export type SavedCardView = ApiSchemas['SavedCardView'];

/**
 * Local mode (no publishable key: GET /payments/config says `test-methods`): Stripe's test payment
 * methods stand in for the card element, so no card number is ever typed. With a key, Stripe's card
 * element (StripeCardForm) is used instead.
 */
const TEST_CARDS = [
  { value: 'pm_card_visa', brand: 'Visa' },
  { value: 'pm_card_mastercard', brand: 'Mastercard' },
  { value: 'pm_card_amex', brand: 'American Express' },
];

/** Its own chunk: Stripe.js and the card form load only when a publishable key is configured. */
const StripeCardForm = lazy(() => import('./stripe-card-form').then((m) => ({ default: m.StripeCardForm })));

export type PaymentsConfig = ApiSchemas['PaymentsConfigView'];

export function cardLabel(card: Pick<SavedCardView, 'brand' | 'last4'>): string {
  return i18next.t('wallet.paidCardEnding', { brand: card.brand.toUpperCase(), last4: card.last4 });
}

/** The wallet's saved cards: add one, choose the default, remove one (each change is emailed to the account). */
export function SavedCards() {
  const { t } = useTranslation();
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
    done(t('savedCards.saved', { card: cardLabel(card) }));
  });
  const makeDefault = useAction(async (card: SavedCardView) => {
    setNotice(null);
    await api.post(`/account/cards/${encodeURIComponent(card.cardId)}/default`);
    done(t('savedCards.madeDefault', { card: cardLabel(card) }));
  });
  const remove = useAction(async (card: SavedCardView) => {
    setNotice(null);
    await api.delete(`/account/cards/${encodeURIComponent(card.cardId)}`);
    done(t('savedCards.removed', { card: cardLabel(card) }));
  });
  return (
    <section className="panel" aria-labelledby="cards-title">
      <h2 id="cards-title">{t('savedCards.title')}</h2>
      {notice ? <Success>{notice}</Success> : null}
      <ErrorSummary error={cards.error ?? add.error ?? makeDefault.error ?? remove.error} />
      {cards.loading ? <Loading what={t('savedCards.loading')} /> : null}
      {cards.data && cards.data.items.length === 0 ? <p className="muted">{t('savedCards.none')}</p> : null}
      <ul className="item-list" data-testid="saved-cards">
        {cards.data?.items.map((card) => (
          <li key={card.cardId}>
            <div>
              <strong>{cardLabel(card)}</strong>
              {card.isDefault ? <span className="muted"> {t('savedCards.default')}</span> : null}
              <div className="muted">
                {t('savedCards.expires', { month: String(card.expMonth).padStart(2, '0'), year: card.expYear })}
              </div>
            </div>
            <div className="actions">
              {card.isDefault ? null : (
                <button
                  type="button"
                  onClick={() => void makeDefault.run(card)}
                  aria-label={t('savedCards.makeDefaultOf', { card: cardLabel(card) })}
                >
                  {t('savedCards.makeDefault')}
                </button>
              )}
              <button
                type="button"
                className="danger"
                onClick={() => void remove.run(card)}
                aria-label={t('savedCards.removeOf', { card: cardLabel(card) })}
              >
                {t('common.remove')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      {payments.error ? <ErrorSummary error={payments.error} /> : null}
      {payments.data?.publishableKey ? (
        <Suspense fallback={<Loading what={t('savedCards.loadingForm')} />}>
          <StripeCardForm
            publishableKey={payments.data.publishableKey}
            onSaved={(card) => done(t('savedCards.saved', { card: cardLabel(card) }))}
          />
        </Suspense>
      ) : payments.data ? (
        <Form onSubmit={add.run} label={t('savedCards.saveTitle')}>
          <Select
            label={t('savedCards.card')}
            value={testCard}
            onChange={setTestCard}
            options={TEST_CARDS.map((c) => ({ value: c.value, label: t('savedCards.testCard', { brand: c.brand }) }))}
          />
          <p className="muted">{t('savedCards.localMode')}</p>
          <button type="submit" className="primary" disabled={add.busy}>
            {t('savedCards.save')}
          </button>
        </Form>
      ) : null}
    </section>
  );
}
