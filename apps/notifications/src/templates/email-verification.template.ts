import type { EmailVerificationRequestedData } from '@app/contracts';
import { composeMessage, formatDateTime, textsFor, type RenderedMessage, type TemplateContext } from './layout';

export function emailVerificationTemplate(data: EmailVerificationRequestedData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  return composeMessage(
    {
      subject: t('notifications:email_verification_subject'),
      lines: [
        t('notifications:email_verification_line', { code: data.code }),
        t('notifications:email_verification_expiry', { when: formatDateTime(data.expiresAt, ctx.timeZone, ctx) }),
      ],
      sms: t('notifications:email_verification_sms', { code: data.code }),
      inAppBody: t('notifications:email_verification_in_app'),
    },
    { ...ctx, firstName: ctx.firstName ?? data.firstName },
  );
}
