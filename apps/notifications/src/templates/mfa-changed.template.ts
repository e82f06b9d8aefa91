import type { MfaChangedData } from '@app/contracts';
import { composeMessage, textsFor, type RenderedMessage, type TemplateContext } from './layout';

export function mfaChangedTemplate(data: MfaChangedData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  const state = data.enabled ? 'on' : 'off';
  return composeMessage(
    {
      subject: t(`notifications:mfa_${state}_subject`),
      lines: [t(`notifications:mfa_${state}_line`), t('notifications:contact_support_if_not_you')],
      sms: t(`notifications:mfa_${state}_sms`),
    },
    ctx,
  );
}
