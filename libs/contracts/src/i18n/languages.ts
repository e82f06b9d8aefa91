/**
 * The languages the portal speaks: every API error, email, SMS, in-app notice and web page exists in each.
 * Tags are BCP 47; Chinese is Simplified Chinese in its script form (`zh-Hans`), which `zh-CN`, `zh-SG`
 * and a bare `zh` also select.
 */
export const LANGUAGES = ['en', 'es', 'zh-Hans'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'en';

/** Each language's name in itself, for a language picker. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', es: 'Español', 'zh-Hans': '简体中文' };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The supported language a single BCP 47 tag asks for (`es-MX` → `es`, `zh-CN` → `zh-Hans`), if any. */
export function matchLanguage(tag: string): Language | undefined {
  const lower = tag.trim().toLowerCase();
  if (!lower) return undefined;
  const [primary, ...rest] = lower.split(/[-_]/);
  if (primary === 'en') return 'en';
  if (primary === 'es') return 'es';
  // Traditional Chinese (zh-Hant, zh-TW, zh-HK, zh-MO) is not offered: let the next preference decide.
  if (primary === 'zh') return rest.some((part) => ['hant', 'tw', 'hk', 'mo'].includes(part)) ? undefined : 'zh-Hans';
  return undefined;
}

/**
 * The best supported language for an `Accept-Language` header (RFC 9110 §12.5.4: highest q first, q=0 never),
 * or the default when none matches.
 */
export function negotiateLanguage(header: string | string[] | undefined | null): Language {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  const ranges = value
    .slice(0, 1000)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p)?.[1]).find((x) => x !== undefined);
      const weight = q === undefined ? 1 : Number(q);
      return { tag: tag.trim(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((r) => r.tag && r.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const range of ranges) {
    if (range.tag === '*') return DEFAULT_LANGUAGE;
    const match = matchLanguage(range.tag);
    if (match) return match;
  }
  return DEFAULT_LANGUAGE;
}

/** The Intl locale for dates, numbers and amounts in each language (US conventions for a US postal service). */
export const INTL_LOCALES: Record<Language, string> = { en: 'en-US', es: 'es-US', 'zh-Hans': 'zh-Hans-CN' };
