import type { PasswordResetRequestedData } from '@app/contracts';
import { composeMessage, formatDateTime, type RenderedMessage, type TemplateContext } from './layout';

export function passwordResetTemplate(data: PasswordResetRequestedData, ctx: TemplateContext): RenderedMessage {
  return composeMessage(
    {
      subject: 'Your password reset code',
      lines: [
        `Your password reset code is ${data.code}.`,
        `It can be used once and expires ${formatDateTime(data.expiresAt, ctx.timeZone)}. If you did not ask to reset your password, ignore this message: your password has not changed.`,
      ],
      sms: `Postal Service: your password reset code is ${data.code}. Do not share it.`,
      inAppBody: 'A password reset code was sent to you.',
    },
    ctx,
  );
}
