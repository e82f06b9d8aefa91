import type { OrgNoticeRecipient, OrgRole } from '@app/contracts';
import { appliedEventIdsPlugin } from '@app/messaging';
import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export interface RosterMember {
  userId: string;
  role: OrgRole;
}

/**
 * An organisation's members and roles as notifications knows them (projected from OrgCreated and
 * OrgMembershipChanged on identity.events), and who of them is told of what it owns; `_id` is the
 * organisation id.
 */
@Schema({ collection: 'org_rosters', versionKey: false })
export class OrgRosterRecord {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: [Object], default: [] })
  members: RosterMember[];

  /** null until an owner or admin chooses: {@link DEFAULT_ORG_NOTICE_RECIPIENTS} */
  @Prop({ type: String, default: null })
  noticeRecipients: OrgNoticeRecipient | null;

  appliedEventIds: string[];
}

export const OrgRosterSchema = SchemaFactory.createForClass(OrgRosterRecord);
OrgRosterSchema.plugin(appliedEventIdsPlugin);
