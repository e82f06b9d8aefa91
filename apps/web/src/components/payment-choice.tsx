import { Select } from './ui';
import { useTranslation } from 'react-i18next';

/**
 * How a purchase is paid. In this portal's local mode the card is Stripe's test Visa (`pm_card_visa`):
 * no card number is ever typed into or sent by the portal (production would mount Stripe's card element).
 */
export type PaymentChoice = 'card' | 'balance';

export const TEST_CARD_PAYMENT_METHOD = 'pm_card_visa';

export function paymentBody(choice: PaymentChoice) {
  return choice === 'card' ? { method: 'card', paymentMethodId: TEST_CARD_PAYMENT_METHOD } : { method: 'balance' };
}

export function PaymentSelect({ value, onChange }: { value: PaymentChoice; onChange: (value: PaymentChoice) => void }) {
  const { t } = useTranslation();
  return (
    <Select
      label={t('payment.payWith')}
      value={value}
      onChange={(v) => onChange(v === 'balance' ? 'balance' : 'card')}
      options={[
        { value: 'card', label: t('payment.card') },
        { value: 'balance', label: t('payment.balance') },
      ]}
    />
  );
}
