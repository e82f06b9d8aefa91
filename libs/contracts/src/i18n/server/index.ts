import { en } from './en';
import { es } from './es';
import { zhHans } from './zh-Hans';
import type { Language } from '../languages';

export { en } from './en';
export type { ServerTexts } from './en';

/** The server's texts (API errors, notifications) in every language, as i18next resources. */
export const SERVER_RESOURCES = { en, es, 'zh-Hans': zhHans } satisfies Record<Language, unknown>;
export const SERVER_NAMESPACES = Object.keys(en) as (keyof typeof en)[];
