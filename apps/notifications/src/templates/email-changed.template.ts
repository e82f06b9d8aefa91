import type { EmailChangedData } from '@app/contracts';
import { composeMessage, formatDateTime, textsFor, type RenderedMessage, type TemplateContext } from './layout';

export function emailChangedTemplate(data: EmailChangedData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  return composeMessage(
    {
      subject: t('notifications:email_changed_subject'),
      lines: [
        t('notifications:email_changed_line', { when: formatDateTime(data.changedAt, ctx.timeZone, ctx) }),
        t('notifications:not_you_reset'),
      ],
      sms: t('notifications:email_changed_sms'),
    },
    ctx,
  );
}
