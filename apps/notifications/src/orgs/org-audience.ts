import {
  DEFAULT_ORG_NOTICE_RECIPIENTS,
  ORG_OWNER_PREFIX,
  OrgNoticeRecipients,
  OrgRoles,
  type OrgNoticeRecipient,
} from '@app/contracts';
import type { Audience } from '../planning/notification-request';
import type { RosterMember } from './org-roster.schema';

export interface Roster {
  members: readonly RosterMember[];
  noticeRecipients: OrgNoticeRecipient | null;
}

/** The organisation id of an owner key `org:<id>`, else undefined (a person). */
export function orgIdOfOwner(owner: string): string | undefined {
  return owner.startsWith(ORG_OWNER_PREFIX) ? owner.slice(ORG_OWNER_PREFIX.length) : undefined;
}

/**
 * The members told of a notice addressed to an organisation (README "Teams: who is told"). Pure. An
 * acting member who has left is not told; an organisation notifications has no roster for (founded
 * before rosters were kept, and no membership change since) tells the acting member only.
 */
export function orgRecipients(roster: Roster | null, actedBy: string | undefined): string[] {
  if (!roster) return actedBy ? [actedBy] : [];
  const members = roster.members;
  const isMember = (userId: string) => members.some((m) => m.userId === userId);
  const managers = members.filter((m) => m.role === OrgRoles.Owner || m.role === OrgRoles.Admin).map((m) => m.userId);
  const actor = actedBy && isMember(actedBy) ? [actedBy] : [];
  switch (roster.noticeRecipients ?? DEFAULT_ORG_NOTICE_RECIPIENTS) {
    case OrgNoticeRecipients.ActingMember:
      return actedBy ? actor : managers;
    case OrgNoticeRecipients.OwnersAndAdmins:
      return [...new Set([...actor, ...managers])];
    case OrgNoticeRecipients.AllMembers:
      return members.map((m) => m.userId);
  }
}

/** Replaces each `org:<id>` entry of an audience by the members `rosters` says are told (order kept, no repeats). */
export function expandAudience(
  audience: readonly Audience[],
  rosters: ReadonlyMap<string, Roster | null>,
  actedBy: string | undefined,
): Audience[] {
  const out: Audience[] = [];
  const seen = new Set<string>();
  const add = (entry: Audience) => {
    if (seen.has(entry.userId)) return;
    seen.add(entry.userId);
    out.push(entry);
  };
  for (const entry of audience) {
    const orgId = orgIdOfOwner(entry.userId);
    if (orgId === undefined) add(entry);
    else for (const userId of orgRecipients(rosters.get(orgId) ?? null, actedBy)) add({ userId });
  }
  return out;
}
