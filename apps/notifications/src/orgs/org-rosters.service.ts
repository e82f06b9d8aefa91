import {
  DEFAULT_ORG_NOTICE_RECIPIENTS,
  EventHandlers,
  OrgCreatedV1,
  OrgMembershipChangedV1,
  type EventEnvelope,
  type OrgNoticeRecipient,
} from '@app/contracts';
import { applyOnce, isDuplicateKeyError } from '@app/messaging';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { Audience } from '../planning/notification-request';
import { expandAudience, orgIdOfOwner, type Roster } from './org-audience';
import { OrgRosterRecord, type RosterMember } from './org-roster.schema';

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
  constructor(@InjectModel(OrgRosterRecord.name) private readonly model: Model<OrgRosterRecord>) {}

  projects(envelope: EventEnvelope): boolean {
    return CHANGES.handles(envelope);
  }

  /** Applies an organisation event once (its id recorded in the same write as the members). */
  async apply(envelope: EventEnvelope): Promise<void> {
    const change = CHANGES.dispatch(envelope);
    if (!change) return;
    // One writer per organisation: its events share a partition key, applied one after the other.
    const current = await this.find(change.orgId);
    if (current?.appliedEventIds?.includes(envelope.id)) return;
    const { filter, update } = applyOnce(
      { _id: change.orgId },
      { $set: { members: change.apply(current?.members ?? []) } },
      envelope.id,
    );
    try {
      await this.model.updateOne(filter, update, { upsert: true }).exec();
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  /** The audience with every `org:<id>` replaced by the members told (see `orgRecipients`). */
  async expand(audience: readonly Audience[], actedBy: string | undefined): Promise<Audience[]> {
    const orgIds = [...new Set(audience.flatMap((a) => orgIdOfOwner(a.userId) ?? []))];
    if (orgIds.length === 0) return [...audience];
    const rosters = new Map<string, Roster | null>();
    await Promise.all(orgIds.map(async (id) => rosters.set(id, await this.find(id))));
    return expandAudience(audience, rosters, actedBy);
  }

  async noticeRecipients(orgId: string): Promise<OrgNoticeRecipient> {
    return (await this.find(orgId))?.noticeRecipients ?? DEFAULT_ORG_NOTICE_RECIPIENTS;
  }

  async setNoticeRecipients(orgId: string, value: OrgNoticeRecipient): Promise<OrgNoticeRecipient> {
    try {
      await this.model.updateOne({ _id: orgId }, { $set: { noticeRecipients: value } }, { upsert: true }).exec();
    } catch (error) {
      // two first writes racing: the other inserted it; set it again over the existing document
      if (!isDuplicateKeyError(error)) throw error;
      await this.model.updateOne({ _id: orgId }, { $set: { noticeRecipients: value } }).exec();
    }
    return value;
  }

  private find(orgId: string): Promise<OrgRosterRecord | null> {
    return this.model.findById(orgId).lean<OrgRosterRecord>().exec();
  }
}
