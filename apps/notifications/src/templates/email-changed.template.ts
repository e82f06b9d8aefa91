import type { EmailChangedData } from '@app/contracts';
import { composeMessage, formatDateTime, type RenderedMessage, type TemplateContext } from './layout';

export function emailChangedTemplate(data: EmailChangedData, ctx: TemplateContext): RenderedMessage {
  return composeMessage(
    {
      subject: 'Your email address was changed',
      lines: [
        `The email address of your account was changed on ${formatDateTime(data.changedAt, ctx.timeZone)}; messages now go to the new address.`,
        'If this was not you, reset your password now and contact customer support.',
      ],
      sms: 'Postal Service: the email address of your account was changed. If this was not you, contact support.',
    },
    ctx,
  );
}
