import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/api-client';
import type { PaymentsConfig, SavedCardView } from './saved-cards';
import { Select, useLoad } from './ui';

/**
 * How a purchase is paid: the postage balance, one of the caller's saved cards (`saved:<cardId>`), or
 * in this portal's local mode Stripe's test Visa (`pm_card_visa`): no card number is ever typed into
 * or sent by the portal. With a publishable key (production) a new card is saved in the wallet through
 * Stripe's card element, and checkout offers the saved cards and the balance only.
 */
export type PaymentChoice = 'card' | 'balance' | `saved:${string}`;

export const TEST_CARD_PAYMENT_METHOD = 'pm_card_visa';

export function paymentBody(choice: PaymentChoice) {
  if (choice === 'balance') return { method: 'balance' };
  const paymentMethodId = choice.startsWith('saved:') ? choice.slice('saved:'.length) : TEST_CARD_PAYMENT_METHOD;
  return { method: 'card', paymentMethodId };
}

export function PaymentSelect({ value, onChange }: { value: PaymentChoice; onChange: (value: PaymentChoice) => void }) {
  const { t } = useTranslation();
  // Saved cards are offered when the wallet has any; a failure to list them leaves the other choices.
  const saved = useLoad(() => api.get<{ items: SavedCardView[] }>('/account/cards'));
  const cards = saved.data?.items ?? [];
  const config = useLoad(() => api.get<PaymentsConfig>('/payments/config'), []);
  const testCard = config.data?.mode !== 'stripe';
  useEffect(() => {
    // The test Visa exists only in local mode: with live Stripe, the default card or the balance.
    if (testCard || value !== 'card') return;
    const preferred = cards.find((c) => c.isDefault) ?? cards[0];
    onChange(preferred ? `saved:${preferred.cardId}` : 'balance');
  }, [testCard, value, cards, onChange]);
  return (
    <Select
      label={t('payment.payWith')}
      value={value}
      onChange={(v) => onChange(v === 'balance' || v.startsWith('saved:') ? (v as PaymentChoice) : 'card')}
      options={[
        ...cards.map((c) => ({
          value: `saved:${c.cardId}`,
          label: c.isDefault
            ? t('payment.savedDefault', { brand: c.brand.toUpperCase(), last4: c.last4 })
            : t('payment.saved', { brand: c.brand.toUpperCase(), last4: c.last4 }),
        })),
        ...(testCard ? [{ value: 'card', label: t('payment.card') }] : []),
        { value: 'balance', label: t('payment.balance') },
      ]}
    />
  );
}
