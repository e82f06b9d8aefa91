import type { PhoneVerificationRequestedData } from '@app/contracts';
import { composeMessage, formatDateTime, type RenderedMessage, type TemplateContext } from './layout';

export function phoneVerificationTemplate(data: PhoneVerificationRequestedData, ctx: TemplateContext): RenderedMessage {
  return composeMessage(
    {
      subject: 'Your phone verification code',
      lines: [
        `Your phone verification code is ${data.code}.`,
        `It expires ${formatDateTime(data.expiresAt, ctx.timeZone)}.`,
      ],
      sms: `Postal Service: your phone verification code is ${data.code}. Do not share it.`,
      inAppBody: 'A verification code was sent to your phone.',
    },
    ctx,
  );
}
