import type { UsernameReminderRequestedData } from '@app/contracts';
import { composeMessage, textsFor, type RenderedMessage, type TemplateContext } from './layout';

export function usernameReminderTemplate(data: UsernameReminderRequestedData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  return composeMessage(
    {
      subject: t('notifications:username_subject'),
      lines: [t('notifications:username_line', { username: data.username }), t('notifications:username_ignore')],
      sms: t('notifications:username_sms', { username: data.username }),
      inAppBody: t('notifications:username_in_app'),
    },
    ctx,
  );
}
