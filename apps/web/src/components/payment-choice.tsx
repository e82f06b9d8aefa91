import { Select } from './ui';

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
  return (
    <Select
      label="Pay with"
      value={value}
      onChange={(v) => onChange(v === 'balance' ? 'balance' : 'card')}
      options={[
        { value: 'card', label: 'Card (Stripe test Visa ending 4242)' },
        { value: 'balance', label: 'Postage balance' },
      ]}
    />
  );
}
