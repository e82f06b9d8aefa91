import type { EmailVerificationRequestedData } from '@app/contracts';
import { composeMessage, formatDateTime, type RenderedMessage, type TemplateContext } from './layout';

export function emailVerificationTemplate(data: EmailVerificationRequestedData, ctx: TemplateContext): RenderedMessage {
  return composeMessage(
    {
      subject: 'Your email verification code',
      lines: [
        `Your verification code is ${data.code}.`,
        `It expires ${formatDateTime(data.expiresAt, ctx.timeZone)}. If you did not create an account, ignore this message.`,
      ],
      sms: `Postal Service: your email verification code is ${data.code}.`,
      inAppBody: 'A verification code was sent to your email address.',
    },
    { ...ctx, firstName: ctx.firstName ?? data.firstName },
  );
}
