import type { PasswordResetRequestedData } from '@app/contracts';
import { composeMessage, formatDateTime, textsFor, type RenderedMessage, type TemplateContext } from './layout';

export function passwordResetTemplate(data: PasswordResetRequestedData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  return composeMessage(
    {
      subject: t('notifications:password_reset_subject'),
      lines: [
        t('notifications:password_reset_line', { code: data.code }),
        t('notifications:password_reset_expiry', { when: formatDateTime(data.expiresAt, ctx.timeZone, ctx) }),
      ],
      sms: t('notifications:password_reset_sms', { code: data.code }),
      inAppBody: t('notifications:password_reset_in_app'),
    },
    ctx,
  );
}
