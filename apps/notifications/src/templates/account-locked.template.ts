import type { AccountLockedData } from '@app/contracts';
import { composeMessage, formatDateTime, textsFor, type RenderedMessage, type TemplateContext } from './layout';

export function accountLockedTemplate(data: AccountLockedData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  return composeMessage(
    {
      subject: t('notifications:account_locked_subject'),
      lines: [
        t('notifications:account_locked_line', {
          count: data.failures,
          until: formatDateTime(data.lockedUntil, ctx.timeZone, ctx),
        }),
        t('notifications:account_locked_advice'),
      ],
      sms: t('notifications:account_locked_sms'),
    },
    ctx,
  );
}
