import type { PhoneChangedData } from '@app/contracts';
import { composeMessage, formatDateTime, textsFor, type RenderedMessage, type TemplateContext } from './layout';

export function phoneChangedTemplate(data: PhoneChangedData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  const when = formatDateTime(data.changedAt, ctx.timeZone, ctx);
  return composeMessage(
    {
      subject: t('notifications:phone_changed_subject'),
      lines: [
        data.phoneLastDigits
          ? t('notifications:phone_changed_line_digits', { digits: data.phoneLastDigits, when })
          : t('notifications:phone_changed_line', { when }),
        t('notifications:not_you_reset'),
      ],
      sms: t('notifications:phone_changed_sms'),
    },
    ctx,
  );
}
