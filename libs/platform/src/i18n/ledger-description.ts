import { SERVER_RESOURCES } from '@app/contracts/i18n/server';
import type { Language } from '@app/contracts/i18n/languages';
import { compileTemplate } from './api-message';
import { serverT } from './server-i18n';

/**
 * A ledger entry's description (apps/pickup) is written once, in English, when the money moves (labels.service, orders.service,
 * account.service write the `documents:ledger_*` sentences); a receipt or a list shows it in the reader's language
 * by reading the values back out of the English template. A description no template matches stays as written.
 */
const TEMPLATES = Object.entries(SERVER_RESOURCES.en.documents as Record<string, string>)
  .filter(([key]) => key.startsWith('ledger_'))
  .map(([key, text]) => compileTemplate(`documents:${key}`, text));
const SERVICES = new Set(['priority_express', 'priority', 'ground_advantage']);

export function ledgerDescription(text: string, language: Language): string {
  if (language === 'en') return text;
  const t = serverT(language);
  for (const template of TEMPLATES) {
    const match = template.pattern.exec(text);
    if (!match) continue;
    const params: Record<string, string | number> = { ...match.groups };
    if (template.plural) params.count = Number(params.count);
    const service = params.service;
    if (typeof service === 'string' && SERVICES.has(service)) params.service = t(`notifications:service_${service}`);
    return t(template.key, params);
  }
  return text;
}
