import type { PasswordResetRequestedData } from '@app/contracts';
import { codeMessage, type RenderedMessage, type TemplateContext } from './layout';

export function passwordResetTemplate(data: PasswordResetRequestedData, ctx: TemplateContext): RenderedMessage {
  return codeMessage('password_reset', data, ctx);
}
