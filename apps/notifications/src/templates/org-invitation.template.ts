import type { OrgInvitationSentData } from '@app/contracts';
import { composeMessage, formatDateTime, textsFor, type RenderedMessage, type TemplateContext } from './layout';
import { orgRoleName } from './org-membership.template';

/**
 * The token travels in the link's fragment (`#token=`): browsers do not send a fragment to the
 * server or in a Referer, so it stays out of web server logs.
 */
export function orgInvitationLink(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/org/accept#token=${encodeURIComponent(token)}`;
}

export function orgInvitationTemplate(data: OrgInvitationSentData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  const org = data.orgName;
  return composeMessage(
    {
      subject: t('notifications:org_invite_subject', { org }),
      lines: [
        t('notifications:org_invite_line', { by: data.invitedBy, org, role: orgRoleName(t, data.role) }),
        t('notifications:org_invite_how', { expires: formatDateTime(data.expiresAt, ctx.timeZone, ctx) }),
        t('notifications:org_invite_ignore'),
      ],
      link: { label: t('notifications:org_invite_link'), url: orgInvitationLink(ctx.publicUrl, data.token) },
      sms: t('notifications:org_invite_sms', { org }),
      inAppBody: t('notifications:org_invite_in_app', { org }),
    },
    ctx,
  );
}
