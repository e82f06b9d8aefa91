import type { ChangeEvent } from 'react';
import { Field } from './ui';
import { useTranslation } from 'react-i18next';

export interface AddressValue {
  name?: string;
  line1: string;
  line2?: string;
  city: string;
  state: string;
  zip: string;
}

export const EMPTY_ADDRESS: AddressValue = { name: '', line1: '', line2: '', city: '', state: '', zip: '' };

/** Drops empty optional fields so the API's validation sees only what was typed. */
export function cleanAddress(a: AddressValue): AddressValue {
  return Object.fromEntries(
    Object.entries(a).filter(([, v]) => typeof v === 'string' && v.trim() !== ''),
  ) as unknown as AddressValue;
}

/** An address as the API answers it too: optional fields a change cleared come back as null. */
export function formatAddress(a: { [K in keyof AddressValue]?: string | null } | undefined): string {
  if (!a) return '';
  return [a.name, a.line1, a.line2, [a.city, a.state, a.zip].filter(Boolean).join(' ')].filter(Boolean).join(', ');
}

export function AddressFields({
  legend,
  value,
  onChange,
  withName = true,
  nameRequired = false,
  field,
}: {
  legend: string;
  /** the address's path in the request (`address`, `from`, `to`, or `""` for the body): names the controls so the API's field errors land under them */
  field?: string;
  value: AddressValue;
  onChange: (value: AddressValue) => void;
  withName?: boolean;
  nameRequired?: boolean;
}) {
  const { t } = useTranslation();
  // `field=""`: the address is the body itself (`line1`, `zip`).
  const named = (key: keyof AddressValue) => (field === undefined ? undefined : field ? `${field}.${key}` : key);
  const set = (key: keyof AddressValue) => (e: ChangeEvent<HTMLInputElement>) =>
    onChange({ ...value, [key]: e.target.value });
  return (
    <fieldset>
      <legend>{legend}</legend>
      {withName ? (
        <Field
          label={t('common.name')}
          value={value.name ?? ''}
          onChange={set('name')}
          name={named('name')}
          autoComplete="name"
          required={nameRequired}
        />
      ) : null}
      <Field
        label={t('address.street')}
        value={value.line1}
        onChange={set('line1')}
        name={named('line1')}
        autoComplete="address-line1"
        required
      />
      <Field
        label={t('address.line2')}
        value={value.line2 ?? ''}
        onChange={set('line2')}
        name={named('line2')}
        autoComplete="address-line2"
      />
      <div className="row">
        <Field
          label={t('address.city')}
          value={value.city}
          onChange={set('city')}
          name={named('city')}
          autoComplete="address-level2"
          required
        />
        <Field
          label={t('address.state')}
          value={value.state}
          onChange={set('state')}
          name={named('state')}
          autoComplete="address-level1"
          required
          maxLength={2}
          size={3}
          pattern="[A-Za-z]{2}"
          data-format-error={t('forms.state')}
          hint={t('address.stateHint')}
        />
        <Field
          label={t('address.zip')}
          value={value.zip}
          onChange={set('zip')}
          name={named('zip')}
          autoComplete="postal-code"
          required
          inputMode="numeric"
          size={10}
          pattern="\d{5}(-?\d{4})?"
          data-format-error={t('forms.zip')}
        />
      </div>
    </fieldset>
  );
}
