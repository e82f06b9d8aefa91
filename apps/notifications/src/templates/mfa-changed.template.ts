import type { MfaChangedData } from '@app/contracts';
import { composeMessage, type RenderedMessage, type TemplateContext } from './layout';

export function mfaChangedTemplate(data: MfaChangedData, ctx: TemplateContext): RenderedMessage {
  const state = data.enabled ? 'turned on' : 'turned off';
  return composeMessage(
    {
      subject: `Two-step verification was ${state}`,
      lines: [`Two-step verification was ${state} for your account.`, 'If this was not you, contact customer support.'],
      sms: `Postal Service: two-step verification was ${state} for your account.`,
    },
    ctx,
  );
}
