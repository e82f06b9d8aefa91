import type { OrgInvitationSentData } from '@app/contracts';
import { composeMessage, formatDateTime, type RenderedMessage, type TemplateContext } from './layout';

/**
 * The token travels in the link's fragment (`#token=`): browsers do not send a fragment to the
 * server or in a Referer, so it stays out of web server logs.
 */
export function orgInvitationLink(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/org/accept#token=${encodeURIComponent(token)}`;
}

export function orgInvitationTemplate(data: OrgInvitationSentData, ctx: TemplateContext): RenderedMessage {
  return composeMessage(
    {
      subject: `You are invited to join ${data.orgName}`,
      lines: [
        `${data.invitedBy} invited you to join ${data.orgName} on the Postal Service portal as ${data.role}.`,
        `Sign in (or create an account with this email address), then open the link to accept. It works once and expires ${formatDateTime(data.expiresAt, ctx.timeZone)}.`,
        'If you did not expect this, ignore this message.',
      ],
      link: { label: 'Accept the invitation', url: orgInvitationLink(ctx.publicUrl, data.token) },
      sms: `Postal Service: you are invited to join ${data.orgName}. See your email.`,
      inAppBody: `You are invited to join ${data.orgName}.`,
    },
    ctx,
  );
}
