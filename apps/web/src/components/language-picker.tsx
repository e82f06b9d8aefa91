import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES } from '@app/contracts/i18n/languages';
import { api } from '../api/api-client';
import { chooseLanguage, currentLanguage } from '../i18n/i18n';
import { useSessionUser } from '../session';

/**
 * The portal's language, each named in itself. Signed in, the choice is also the profile's language, so
 * emails, texts and in-app notices follow it.
 */
export function LanguagePicker() {
  const { t } = useTranslation();
  const user = useSessionUser();
  const id = useId();
  return (
    <div className="language-picker">
      <label htmlFor={id}>{t('app.language')}</label>
      <select
        id={id}
        value={currentLanguage()}
        onChange={(e) => {
          const language = e.target.value;
          if (!isLanguage(language)) return;
          void chooseLanguage(language);
          if (user) void api.patch('/me', { language }).catch(() => undefined);
        }}
      >
        {LANGUAGES.map((language) => (
          <option key={language} value={language} lang={language}>
            {LANGUAGE_NAMES[language]}
          </option>
        ))}
      </select>
    </div>
  );
}
