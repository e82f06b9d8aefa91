import { useEffect, useId, useRef, useState } from 'react';
import { loadStrengthChecker, MIN_PASSWORD_LENGTH, MIN_SCORE, type Strength } from '../lib/password-strength';
import { useTranslation } from 'react-i18next';
import { FieldError, useFieldError } from './ui';

/** A new-password input with live strength feedback (the server has the last word, with its reasons). */
export function NewPasswordField({
  label,
  value,
  onChange,
  userInputs,
  name = 'password',
}: {
  label?: string;
  /** the request field it fills (the API's field errors land under the control of that name) */
  name?: string;
  value: string;
  onChange: (value: string) => void;
  userInputs: string[];
}) {
  const { t } = useTranslation();
  const id = useId();
  const [strength, setStrength] = useState<Strength | null>(null);
  const [shown, setShown] = useState(false);
  const inputsKey = userInputs.join('\u0000');
  useEffect(() => {
    let live = true;
    if (!value) {
      setStrength(null);
      return;
    }
    void loadStrengthChecker().then((check) => {
      if (live) setStrength(check(value, inputsKey.split('\u0000').filter(Boolean)));
    });
    return () => {
      live = false;
    };
  }, [value, inputsKey]);

  const tooShort = value.length > 0 && [...value].length < MIN_PASSWORD_LENGTH;
  const input = useRef<HTMLInputElement>(null);
  const { error, aria } = useFieldError(id, `${id}-strength`);
  const tooShortText = tooShort ? t('password.tooShort', { length: [...value].length, min: MIN_PASSWORD_LENGTH }) : '';
  // A password under the minimum is refused by the form itself, tied to this field (3.3.1); the server judges the rest.
  useEffect(() => input.current?.setCustomValidity(tooShortText), [tooShortText]);
  const score = strength?.score ?? 0;
  const level = t(`password.levels.${score}`);
  const verdict = !value
    ? t('password.advice', { min: MIN_PASSWORD_LENGTH })
    : tooShort
      ? t('password.tooShort', { length: [...value].length, min: MIN_PASSWORD_LENGTH })
      : strength
        ? [
            score < MIN_SCORE ? t('password.verdictNotAccepted', { level }) : t('password.verdict', { level }),
            strength.warning ? t(`passwordFeedback.warnings.${strength.warning}`, { defaultValue: '' }) : '',
          ]
            .filter(Boolean)
            .join(' ')
        : t('password.checking');

  return (
    <div className="field">
      <label htmlFor={id}>{label ?? t('common.password')}</label>
      <div className="password-row">
        <input
          ref={input}
          id={id}
          type={shown ? 'text' : 'password'}
          value={value}
          autoComplete="new-password"
          name={name}
          required
          data-label={label ?? t('common.password')}
          {...aria}
          onChange={(e) => onChange(e.target.value)}
        />
        <button type="button" aria-pressed={shown} onClick={() => setShown((s) => !s)}>
          {shown ? t('common.hide') : t('common.show')}
        </button>
      </div>
      <div className="strength" aria-hidden="true">
        <div
          className={`strength-bar score-${tooShort ? 0 : score} filled-${value ? (tooShort ? 0 : score) + 1 : 0}`}
        />
      </div>
      <div className="hint" id={`${id}-strength`} aria-live="polite">
        {verdict}
        {strength && !tooShort && score < MIN_SCORE && strength.suggestions.length > 0 ? (
          <ul>
            {strength.suggestions.map((s) => (
              <li key={s}>{t(`passwordFeedback.suggestions.${s}`, { defaultValue: '' })}</li>
            ))}
          </ul>
        ) : null}
      </div>
      <FieldError id={id} error={error} />
    </div>
  );
}
