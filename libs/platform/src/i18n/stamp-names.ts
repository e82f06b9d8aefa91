import type { Language } from '@app/contracts/i18n/languages';
import { serverT } from './server-i18n';

/** The catalogue key of a SKU (`FOREVER-SHEET-20` → `forever_sheet_20`), as the web's `stampProducts.*` too. */
export const stampKey = (sku: string): string => sku.toLowerCase().replace(/-/g, '_');

/**
 * A stamp product's name (or unit) in `language`, by SKU (the `stamps` namespace): the catalogue and orders keep
 * the English name, which is also the answer for a SKU the catalogue no longer has.
 */
export function stampText(sku: string, part: 'name' | 'unit', english: string, language: Language): string {
  if (language === 'en') return english;
  return serverT(language)(`stamps:${stampKey(sku)}_${part}`, { defaultValue: english });
}
