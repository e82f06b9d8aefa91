import { composeMessage, textsFor, type RenderedMessage, type TemplateContext } from './layout';

export interface SupportReplyTemplateData {
  caseId: string;
  subject: string;
  body: string;
}

export function supportReplyTemplate(data: SupportReplyTemplateData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  return composeMessage(
    {
      subject: t('notifications:support_reply_subject', { subject: data.subject }),
      lines: [t('notifications:support_reply_line'), data.body],
      link: {
        label: t('notifications:view_case'),
        url: `${ctx.publicUrl.replace(/\/+$/, '')}/support/cases/${data.caseId}`,
      },
      sms: t('notifications:support_reply_sms', { subject: data.subject.slice(0, 60) }),
      inAppBody: data.body.slice(0, 280),
    },
    ctx,
  );
}
