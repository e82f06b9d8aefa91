import type { EmailVerificationRequestedData } from '@app/contracts';
import { codeMessage, type RenderedMessage, type TemplateContext } from './layout';

export function emailVerificationTemplate(data: EmailVerificationRequestedData, ctx: TemplateContext): RenderedMessage {
  return codeMessage('email_verification', data, { ...ctx, firstName: ctx.firstName ?? data.firstName });
}
