import type { PasswordChangedData } from '@app/contracts';
import { composeMessage, formatDateTime, type RenderedMessage, type TemplateContext } from './layout';

export function passwordChangedTemplate(data: PasswordChangedData, ctx: TemplateContext): RenderedMessage {
  return composeMessage(
    {
      subject: 'Your password was changed',
      lines: [
        `The password of your account was changed on ${formatDateTime(data.changedAt, ctx.timeZone)}.`,
        'If this was not you, reset your password now and contact customer support.',
      ],
      sms: 'Postal Service: your password was changed. If this was not you, reset it now.',
    },
    ctx,
  );
}
