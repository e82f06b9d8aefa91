import { composeMessage, type RenderedMessage, type TemplateContext } from './layout';

export interface SupportReplyTemplateData {
  caseId: string;
  subject: string;
  body: string;
}

export function supportReplyTemplate(data: SupportReplyTemplateData, ctx: TemplateContext): RenderedMessage {
  return composeMessage(
    {
      subject: `Reply to your support case: ${data.subject}`,
      lines: ['Customer support replied to your case:', data.body],
      link: { label: 'View your case', url: `${ctx.publicUrl.replace(/\/+$/, '')}/support/cases/${data.caseId}` },
      sms: `Postal Service: customer support replied to your case "${data.subject.slice(0, 60)}".`,
      inAppBody: data.body.slice(0, 280),
    },
    ctx,
  );
}
