import { SERVER_RESOURCES, type ServerTexts } from '@app/contracts/i18n/server';
import type { Language } from '@app/contracts/i18n/languages';
import { holidayOfEnglishName } from '@app/contracts/calendar/holiday-names';
import { serverT } from './server-i18n';

/**
 * API errors are thrown with their English text (the English catalogue is the source: the services keep
 * writing plain messages, logs stay English). To answer in the caller's language the text is matched
 * against the English templates of `errors` and `validation` (libs/contracts/src/i18n/server/en.ts), the
 * placeholders are read back out of it, and the same key is rendered in the target language: a whole
 * sentence per key, never pieces glued together. A text with no template stays English.
 */
interface Template {
  key: string;
  pattern: RegExp;
  names: string[];
  plural: boolean;
  /** Literal characters: the more a template has, the more specific it is, so it is tried first. */
  weight: number;
}

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;
const ESCAPE = /[.*+?^${}()|[\]\\]/g;

export function compileTemplate(key: string, text: string): Template {
  const names: string[] = [];
  let source = '';
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const name = match[1];
    source += text.slice(last, match.index).replace(ESCAPE, '\\$&');
    // A placeholder that appears twice must capture the same text twice.
    // `.*?`: a value may be empty (a hint that is only sometimes there).
    source += names.includes(name) ? `\\k<${name}>` : `(?<${name}>.*?)`;
    if (!names.includes(name)) names.push(name);
    last = match.index + match[0].length;
  }
  source += text.slice(last).replace(ESCAPE, '\\$&');
  const plural = PLURAL_SUFFIX.test(key) && names.includes('count');
  return {
    key: plural ? key.replace(PLURAL_SUFFIX, '') : key,
    pattern: new RegExp(`^${source}$`, 's'),
    names,
    plural,
    weight: text.replace(PLACEHOLDER, '').length,
  };
}

function compileNamespace(ns: keyof ServerTexts): Template[] {
  return Object.entries(SERVER_RESOURCES.en[ns] as Record<string, string>)
    .map(([key, text]) => compileTemplate(`${ns}:${key}`, text))
    .sort((a, b) => b.weight - a.weight);
}

const ERROR_TEMPLATES = compileNamespace('errors');
const VALIDATION_TEMPLATES = compileNamespace('validation');
const ALL_TEMPLATES = [...ERROR_TEMPLATES, ...VALIDATION_TEMPLATES].sort((a, b) => b.weight - a.weight);
const BY_KEY = new Map(ALL_TEMPLATES.map((t) => [t.key, t]));
/** English feedback sentence of the password estimator → its key. */
const PASSWORD_FEEDBACK_KEYS = new Map(Object.entries(SERVER_RESOURCES.en.passwords).map(([key, text]) => [text, key]));

function render(template: Template, match: RegExpExecArray, language: Language): string | undefined {
  const params: Record<string, unknown> = {};
  for (const name of template.names) params[name] = match.groups?.[name];
  if (template.plural) {
    const count = Number(params.count);
    if (!Number.isFinite(count)) return undefined;
    params.count = count;
  }
  // A reason quoted inside a message (`trackingNumber: <reason>`) is itself a sentence of the catalogue, and so
  // is a quota's window (`15 minutes`).
  for (const nested of ['reason', 'window'] as const) {
    if (typeof params[nested] === 'string') params[nested] = translateApiMessage(params[nested], language);
  }
  // A federal holiday is quoted by its English name (delivery-days.ts); the `holidays` namespace names it.
  if (typeof params.holiday === 'string') params.holiday = holidayName(params.holiday, language);
  // The password estimator's warning is one of its feedback sentences (the `passwords` namespace).
  if (typeof params.warning === 'string') {
    const key = PASSWORD_FEEDBACK_KEYS.get(params.warning);
    if (key) params.warning = serverT(language)(`passwords:${key}`);
  }
  return serverT(language)(template.key, params);
}

function tryTemplates(templates: Iterable<Template | undefined>, text: string, language: Language) {
  for (const template of templates) {
    if (!template) continue;
    const match = template.pattern.exec(text);
    if (!match) continue;
    const rendered = render(template, match, language);
    if (rendered !== undefined) return rendered;
  }
  return undefined;
}

/**
 * The caller's-language text of an English API message. `constraint` (a class-validator constraint name)
 * picks the validation template first, so a field's message is translated by constraint and field.
 */
export function translateApiMessage(text: string, language: Language, constraint?: string): string {
  if (language === 'en' || text.length > 2000) return text;
  const preferred = constraint ? [BY_KEY.get(`validation:${constraint}`)] : [];
  return tryTemplates(preferred, text, language) ?? tryTemplates(ALL_TEMPLATES, text, language) ?? text;
}

export const API_MESSAGE_TEMPLATES = { errors: ERROR_TEMPLATES, validation: VALIDATION_TEMPLATES };

/** A federal holiday's English name (`Christmas Day (observed)` too) in `language`; an unknown name stays as it is. */
export function holidayName(english: string, language: Language): string {
  const holiday = holidayOfEnglishName(english);
  if (!holiday || language === 'en') return english;
  const t = serverT(language);
  const name = t(`holidays:${holiday.id}`);
  return holiday.observed ? t('holidays:observed', { name }) : name;
}
