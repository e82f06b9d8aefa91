import fs from 'node:fs';
import { INTL_LOCALES, type Language } from '@app/contracts/i18n/languages';
import type { TFunction } from 'i18next';
import { serverT } from '../i18n/server-i18n';

/**
 * Debian's fonts-wqy-microhei (installed by .ci/run and the Dockerfile): pdfkit's built-in fonts cover
 * Latin-1 only, so a Chinese document embeds this CJK font (the glyphs it uses).
 */
export const CJK_FONT_FILE = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';
const CJK_FONT_NAME = 'WenQuanYiMicroHei';

let cjkAvailable: boolean | undefined;
function hasCjkFont(): boolean {
  cjkAvailable ??= fs.existsSync(CJK_FONT_FILE);
  return cjkAvailable;
}

/** The part of a pdfkit document this needs (kept structural so libs/platform does not depend on pdfkit's types). */
interface FontRegistry {
  registerFont(name: string, src: string, family?: string): unknown;
}

/** What a customer's PDF is written with: its language (after any fallback), texts, fonts and formats. */
export interface DocumentLanguage {
  language: Language;
  t: TFunction;
  regular: string;
  bold: string;
  /** A date (the calendar day in UTC, as stored) written the language's way: "December 6, 2026", "6 de diciembre de 2026". */
  date(value: Date): string;
  /** Cents as US dollars in the language's number format. */
  dollars(cents: number): string;
}

/**
 * Sets `doc` up for a document in `language`: Spanish and English use pdfkit's Helvetica; Chinese embeds the CJK
 * font, and when that font is not installed the document is written in English rather than in empty boxes.
 */
export function documentLanguage(doc: FontRegistry, requested: Language): DocumentLanguage {
  let language = requested;
  let regular = 'Helvetica';
  let bold = 'Helvetica-Bold';
  if (language === 'zh-Hans') {
    if (hasCjkFont()) {
      doc.registerFont('cjk', CJK_FONT_FILE, CJK_FONT_NAME);
      regular = bold = 'cjk';
    } else {
      language = 'en';
    }
  }
  const locale = INTL_LOCALES[language];
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD' });
  return {
    language,
    t: serverT(language),
    regular,
    bold,
    date: (value) => dateFormat.format(value),
    dollars: (cents) => money.format(cents / 100),
  };
}
