import type { PhoneVerificationRequestedData } from '@app/contracts';
import { codeMessage, type RenderedMessage, type TemplateContext } from './layout';

export function phoneVerificationTemplate(data: PhoneVerificationRequestedData, ctx: TemplateContext): RenderedMessage {
  return codeMessage('phone_verification', data, ctx);
}
