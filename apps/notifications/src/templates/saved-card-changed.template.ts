import type { SavedCardChangedData } from '@app/contracts';
import { composeMessage, formatDateTime, textsFor, type RenderedMessage, type TemplateContext } from './layout';

export function savedCardChangedTemplate(data: SavedCardChangedData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  const card = t('notifications:receipt_card', { brand: data.brand.toUpperCase(), last4: data.last4 });
  const added = data.change === 'added';
  const when = formatDateTime(data.occurredAt, ctx.timeZone, ctx);
  return composeMessage(
    {
      subject: t(added ? 'notifications:card_saved_subject' : 'notifications:card_removed_subject'),
      lines: [
        t(added ? 'notifications:card_saved_line' : 'notifications:card_removed_line', { card, when }),
        t('notifications:card_not_you'),
      ],
      sms: t(added ? 'notifications:card_saved_sms' : 'notifications:card_removed_sms', { card }),
    },
    ctx,
  );
}
