import {
  DEFAULT_ORG_NOTICE_RECIPIENTS,
  EventHandlers,
  OrgCreatedV1,
  OrgMembershipChangedV1,
  type EventEnvelope,
  type OrgNoticeRecipient,
} from '@app/contracts';
import { Injectable } from '@nestjs/common';
import type { Audience } from '../planning/notification-request';
import { expandAudience, orgIdOfOwner, type Roster } from './org-audience';
import type { RosterMember } from './org-roster.schema';
import { OrgRostersRepository } from './org-rosters.repository';

type RosterChange = { orgId: string; apply: (members: RosterMember[]) => RosterMember[] };

/** How each organisation event changes the roster (identity.events keyed by organisation id: in order). */
const CHANGES = new EventHandlers<RosterChange>()
  .on(OrgCreatedV1, (data) => ({
    orgId: data.orgId,
    apply: (members) => [
      { userId: data.ownerUserId, role: 'owner' },
      ...members.filter((m) => m.userId !== data.ownerUserId),
    ],
  }))
  .on(OrgMembershipChangedV1, (data) => ({
    orgId: data.orgId,
    apply: (members) => {
      const others = members.filter((m) => m.userId !== data.userId);
      return data.change === 'removed' || !data.role ? others : [...others, { userId: data.userId, role: data.role }];
    },
  }));

/** Organisations' members and roles (from identity.events) and their notice setting; expands `org:<id>` audiences. */
@Injectable()
export class OrgRostersService {
  constructor(private readonly rosters: OrgRostersRepository) {}

  projects(envelope: EventEnvelope): boolean {
    return CHANGES.handles(envelope);
  }

  /** Applies an organisation event once (its id recorded in the same write as the members). */
  async apply(envelope: EventEnvelope): Promise<void> {
    const change = CHANGES.dispatch(envelope);
    if (!change) return;
    await this.rosters.changeMembersOnce(change.orgId, change.apply, envelope.id);
  }

  /** The audience with every `org:<id>` replaced by the members told (see `orgRecipients`). */
  async expand(audience: readonly Audience[], actedBy: string | undefined): Promise<Audience[]> {
    const orgIds = [...new Set(audience.flatMap((a) => orgIdOfOwner(a.userId) ?? []))];
    if (orgIds.length === 0) return [...audience];
    const byId = new Map<string, Roster | null>();
    await Promise.all(orgIds.map(async (id) => byId.set(id, await this.rosters.find(id))));
    return expandAudience(audience, byId, actedBy);
  }

  async noticeRecipients(orgId: string): Promise<OrgNoticeRecipient> {
    return (await this.rosters.find(orgId))?.noticeRecipients ?? DEFAULT_ORG_NOTICE_RECIPIENTS;
  }

  async setNoticeRecipients(orgId: string, value: OrgNoticeRecipient): Promise<OrgNoticeRecipient> {
    await this.rosters.setNoticeRecipients(orgId, value);
    return value;
  }
}
