import type { OrgMembershipChangedData } from '@app/contracts';
import { composeMessage, formatDateTime, type RenderedMessage, type TemplateContext } from './layout';

function what(data: OrgMembershipChangedData): { subject: string; line: string } {
  switch (data.change) {
    case 'joined':
      return {
        subject: `You joined ${data.orgName}`,
        line: `You joined ${data.orgName} as ${data.role ?? 'member'}.`,
      };
    case 'role_changed':
      return {
        subject: `Your role in ${data.orgName} changed`,
        line: `${data.changedBy} changed your role in ${data.orgName} from ${data.previousRole ?? 'member'} to ${data.role ?? 'member'}.`,
      };
    case 'removed':
      return {
        subject: `You no longer belong to ${data.orgName}`,
        line: `${data.changedBy} removed you from ${data.orgName}. You can no longer act for it.`,
      };
  }
}

export function orgMembershipTemplate(data: OrgMembershipChangedData, ctx: TemplateContext): RenderedMessage {
  const { subject, line } = what(data);
  return composeMessage(
    {
      subject,
      lines: [
        `${line} (${formatDateTime(data.changedAt, ctx.timeZone)})`,
        'If this is unexpected, contact an owner of the organisation or customer support.',
      ],
      sms: `Postal Service: ${line}`,
    },
    ctx,
  );
}
