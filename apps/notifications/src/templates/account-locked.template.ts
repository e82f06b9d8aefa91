import type { AccountLockedData } from '@app/contracts';
import { composeMessage, formatDateTime, type RenderedMessage, type TemplateContext } from './layout';

export function accountLockedTemplate(data: AccountLockedData, ctx: TemplateContext): RenderedMessage {
  return composeMessage(
    {
      subject: 'Your account is temporarily locked',
      lines: [
        `After ${data.failures} failed sign-in attempts, sign-in to your account is locked until ${formatDateTime(data.lockedUntil, ctx.timeZone)}.`,
        'If these attempts were not yours, consider resetting your password.',
      ],
      sms: 'Postal Service: sign-in to your account is temporarily locked after failed attempts.',
    },
    ctx,
  );
}
