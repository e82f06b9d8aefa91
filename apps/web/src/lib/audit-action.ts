import type { TFunction } from 'i18next';

/**
 * What the members did elsewhere, reported by the pickup service as `METHOD /route` (its write routes), by
 * text key; a route not listed here is shown as "Other change (POST /…)".
 */
const ROUTE_ACTIONS: Record<string, string> = {
  'POST /labels': 'label_bought',
  'POST /labels/:id/refund': 'label_refunded',
  'POST /labels/:id/return': 'return_label',
  'POST /labels/:id/return-charge': 'return_charge',
  'POST /labels/batches': 'batch_uploaded',
  'POST /labels/quote': 'quote',
  'POST /manifests': 'manifest_created',
  'POST /pickups': 'pickup_scheduled',
  'PATCH /pickups/:confirmationNumber': 'pickup_changed',
  'DELETE /pickups/:confirmationNumber': 'pickup_cancelled',
  'POST /account/balance/top-ups': 'balance_topped_up',
  'POST /account/cards': 'card_saved',
  'DELETE /account/cards/:id': 'card_removed',
  'POST /account/cards/:id/default': 'card_default',
  'POST /account/cards/setup-intents': 'card_setup',
  'POST /orders': 'order_placed',
  'POST /orders/:id/cancel': 'order_cancelled',
};

/** An audit line's action code (the API keeps it) in the page's language. */
export function auditAction(action: string, t: TFunction): string {
  // The organisation's own changes are `area.change` (apps/auth org-audit.ts): `org.created` → `audit.org_created`.
  const key = ROUTE_ACTIONS[action] ?? (/^[a-z]+\.[a-z_]+$/.test(action) ? action.replace('.', '_') : undefined);
  const other = t('audit.other', { action });
  return key ? t(`audit.${key}`, { defaultValue: other }) : other;
}
