import type { SavedCardChangedData } from '@app/contracts';
import { composeMessage, formatDateTime, type RenderedMessage, type TemplateContext } from './layout';

export function savedCardChangedTemplate(data: SavedCardChangedData, ctx: TemplateContext): RenderedMessage {
  const card = `${data.brand.toUpperCase()} ending ${data.last4}`;
  const what = data.change === 'added' ? 'added to' : 'removed from';
  return composeMessage(
    {
      subject:
        data.change === 'added' ? 'A card was saved on your account' : 'A saved card was removed from your account',
      lines: [
        `The card ${card} was ${what} your account on ${formatDateTime(data.occurredAt, ctx.timeZone)}.`,
        'If this was not you, change your password and contact customer support.',
      ],
      sms: `Postal Service: card ${card} ${what} your account.`,
    },
    ctx,
  );
}
