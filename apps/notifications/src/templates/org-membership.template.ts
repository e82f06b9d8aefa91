import type { OrgMembershipChangedData, OrgRole } from '@app/contracts';
import { composeMessage, formatDateTime, textsFor, type RenderedMessage, type TemplateContext } from './layout';

type Texts = ReturnType<typeof textsFor>;

const ROLE_NAMES = {
  owner: 'notifications:org_role_owner',
  admin: 'notifications:org_role_admin',
  shipper: 'notifications:org_role_shipper',
  viewer: 'notifications:org_role_viewer',
} as const satisfies Record<OrgRole, string>;

/** A role's name in the reader's language; a missing role reads "member". */
export function orgRoleName(t: Texts, role: OrgRole | null | undefined): string {
  return t(role ? ROLE_NAMES[role] : 'notifications:org_role_member');
}

function what(t: Texts, data: OrgMembershipChangedData): { subject: string; line: string } {
  const org = data.orgName;
  const role = orgRoleName(t, data.role);
  switch (data.change) {
    case 'joined':
      return {
        subject: t('notifications:org_joined_subject', { org }),
        line: t('notifications:org_joined_line', { org, role }),
      };
    case 'role_changed':
      return {
        subject: t('notifications:org_role_changed_subject', { org }),
        line: t('notifications:org_role_changed_line', {
          by: data.changedBy,
          org,
          previous: orgRoleName(t, data.previousRole),
          role,
        }),
      };
    case 'removed':
      return {
        subject: t('notifications:org_removed_subject', { org }),
        line: t('notifications:org_removed_line', { by: data.changedBy, org }),
      };
  }
}

export function orgMembershipTemplate(data: OrgMembershipChangedData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  const { subject, line } = what(t, data);
  return composeMessage(
    {
      subject,
      lines: [
        t('notifications:org_membership_when', { line, when: formatDateTime(data.changedAt, ctx.timeZone, ctx) }),
        t('notifications:org_membership_unexpected'),
      ],
      sms: t('notifications:org_membership_sms', { line }),
    },
    ctx,
  );
}
