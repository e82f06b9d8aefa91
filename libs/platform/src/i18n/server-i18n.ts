import i18next, { type i18n, type TFunction } from 'i18next';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from '@app/contracts/i18n/languages';
import { SERVER_NAMESPACES, SERVER_RESOURCES } from '@app/contracts/i18n/server';

/**
 * One i18next instance for every server-side text (API errors, notifications), with the resources of
 * libs/contracts/src/i18n/server loaded up front: no backend, no async init, so `t` works from the first request.
 */
function createServerI18n(): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    resources: SERVER_RESOURCES,
    lng: DEFAULT_LANGUAGE,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    load: 'currentOnly',
    ns: SERVER_NAMESPACES,
    defaultNS: 'errors',
    initAsync: false,
    // The texts go into JSON, SMS and text bodies; HTML templates escape what they insert themselves.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}

export const serverI18n: i18n = createServerI18n();

/** `t` bound to one language, e.g. `serverT('es')('notifications:…', {count: 2})`. */
export function serverT(language: Language): TFunction {
  return serverI18n.getFixedT(language);
}
