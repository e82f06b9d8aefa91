import type { UsernameReminderRequestedData } from '@app/contracts';
import { composeMessage, type RenderedMessage, type TemplateContext } from './layout';

export function usernameReminderTemplate(data: UsernameReminderRequestedData, ctx: TemplateContext): RenderedMessage {
  return composeMessage(
    {
      subject: 'Your username',
      lines: [`Your username is ${data.username}.`, 'If you did not ask for this reminder, ignore this message.'],
      sms: `Postal Service: your username is ${data.username}.`,
      inAppBody: 'A username reminder was sent to your email address.',
    },
    ctx,
  );
}
