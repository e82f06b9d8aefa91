import type { PasswordChangedData } from '@app/contracts';
import { composeMessage, formatDateTime, textsFor, type RenderedMessage, type TemplateContext } from './layout';

export function passwordChangedTemplate(data: PasswordChangedData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  return composeMessage(
    {
      subject: t('notifications:password_changed_subject'),
      lines: [
        t('notifications:password_changed_line', { when: formatDateTime(data.changedAt, ctx.timeZone, ctx) }),
        t('notifications:not_you_reset'),
      ],
      sms: t('notifications:password_changed_sms'),
    },
    ctx,
  );
}
