import type { PhoneVerificationRequestedData } from '@app/contracts';
import { composeMessage, formatDateTime, textsFor, type RenderedMessage, type TemplateContext } from './layout';

export function phoneVerificationTemplate(data: PhoneVerificationRequestedData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  return composeMessage(
    {
      subject: t('notifications:phone_verification_subject'),
      lines: [
        t('notifications:phone_verification_line', { code: data.code }),
        t('notifications:phone_verification_expiry', { when: formatDateTime(data.expiresAt, ctx.timeZone, ctx) }),
      ],
      sms: t('notifications:phone_verification_sms', { code: data.code }),
      inAppBody: t('notifications:phone_verification_in_app'),
    },
    ctx,
  );
}
