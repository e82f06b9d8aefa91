import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import {
  DEFAULT_LANGUAGE,
  INTL_LOCALES,
  isLanguage,
  LANGUAGES,
  matchLanguage,
  type Language,
} from '@app/contracts/i18n/languages';
import { en, type WebTexts } from './locales/en';

/** Set only when a person picks a language: without it the browser's languages decide. */
const STORAGE_KEY = 'portal.language';

/**
 * English ships in the first bundle; Spanish and Chinese are their own chunks, fetched only by a browser
 * that asks for them (keeps the first load small).
 */
const LOADERS: Record<Exclude<Language, 'en'>, () => Promise<WebTexts>> = {
  es: () => import('./locales/es').then((m) => m.es),
  'zh-Hans': () => import('./locales/zh-Hans').then((m) => m.zhHans),
};

/** The language to show: the one picked here before, else the first of the browser's languages we speak. */
export function detectLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (isLanguage(stored)) return stored;
  for (const tag of navigator.languages?.length ? navigator.languages : [navigator.language]) {
    const match = matchLanguage(tag);
    if (match) return match;
  }
  return DEFAULT_LANGUAGE;
}

export function currentLanguage(): Language {
  return isLanguage(i18next.language) ? i18next.language : DEFAULT_LANGUAGE;
}

/** The Intl locale for dates, numbers and amounts in the current language. */
export function intlLocale(): string {
  return INTL_LOCALES[currentLanguage()];
}

export async function applyLanguage(language: Language): Promise<void> {
  if (language !== 'en' && !i18next.hasResourceBundle(language, 'translation')) {
    i18next.addResourceBundle(language, 'translation', await LOADERS[language]());
  }
  await i18next.changeLanguage(language);
  document.documentElement.lang = language;
}

/** Whether a person picked a language in this browser (the picker): it then wins over the profile's. */
export function hasChosenLanguage(): boolean {
  return isLanguage(localStorage.getItem(STORAGE_KEY));
}

/** A person's choice (the language picker, or their profile's language after signing in): kept in this browser. */
export async function chooseLanguage(language: Language): Promise<void> {
  localStorage.setItem(STORAGE_KEY, language);
  await applyLanguage(language);
}

export async function setUpI18n(): Promise<void> {
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: en } },
    lng: DEFAULT_LANGUAGE,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    load: 'currentOnly',
    // React escapes what it renders.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  await applyLanguage(detectLanguage());
}

export { i18next };
