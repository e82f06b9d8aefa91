import type { PhoneChangedData } from '@app/contracts';
import { composeMessage, formatDateTime, type RenderedMessage, type TemplateContext } from './layout';

export function phoneChangedTemplate(data: PhoneChangedData, ctx: TemplateContext): RenderedMessage {
  const number = data.phoneLastDigits ? ` to a number ending in ${data.phoneLastDigits}` : '';
  return composeMessage(
    {
      subject: 'Your phone number was changed',
      lines: [
        `The phone number of your account was changed${number} on ${formatDateTime(data.changedAt, ctx.timeZone)}.`,
        'If this was not you, reset your password now and contact customer support.',
      ],
      sms: 'Postal Service: the phone number of your account was changed. If this was not you, contact support.',
    },
    ctx,
  );
}
