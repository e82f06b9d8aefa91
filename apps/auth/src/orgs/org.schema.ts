import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { EventEnvelope, OrgRole } from '@app/contracts';
import type { AddressEntry } from '../users/user.schema';

@Schema({ _id: false })
export class OrgMember {
  @Prop({ type: String, required: true })
  userId: string;

  @Prop({ type: String, required: true })
  role: OrgRole;

  @Prop({ type: String, required: true })
  username: string;

  @Prop({ type: String, required: true })
  email: string;

  @Prop({ type: Date, required: true })
  joinedAt: Date;
}

/** An open invitation; only the sha256 of its link token is kept. */
@Schema({ _id: false })
export class OrgInvite {
  @Prop({ type: String, required: true })
  id: string;

  @Prop({ type: String, required: true })
  email: string;

  @Prop({ type: String, required: true })
  role: OrgRole;

  @Prop({ type: String, required: true })
  tokenHash: string;

  @Prop({ type: String, required: true })
  invitedBy: string;

  @Prop({ type: Date, required: true })
  createdAt: Date;

  @Prop({ type: Date, required: true })
  expiresAt: Date;
}

/**
 * An organisation is one aggregate: its members and open invitations live in its document, so every
 * rule about them (at least one owner, one use per invitation) is checked on one read and kept by one
 * write, made while the organisation's lock is held (see OrgsRepository).
 */
@Schema({ collection: 'orgs', versionKey: false, autoIndex: false })
export class OrgDocument {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  name: string;

  @Prop({ type: Date, required: true })
  createdAt: Date;

  @Prop({ type: Date, required: true })
  updatedAt: Date;

  /** bumped by every change */
  @Prop({ type: Number, required: true })
  version: number;

  @Prop({ type: [SchemaFactory.createForClass(OrgMember)], default: [] })
  members: OrgMember[];

  @Prop({ type: [SchemaFactory.createForClass(OrgInvite)], default: [] })
  invites: OrgInvite[];

  /** the organisation's address book (addresses are not verified: that ties a person to a home) */
  @Prop({ type: [Object], default: [] })
  addresses?: AddressEntry[];

  @Prop({ type: [Object], default: [] })
  outbox: EventEnvelope[];
}

/**
 * Which organisations a user belongs to, one document per (user, organisation), so listing a
 * user's organisations needs no scan of every organisation. The organisation document stays the
 * authority: an entry is checked against it before it is shown or used.
 */
@Schema({ collection: 'org_memberships', versionKey: false, autoIndex: false })
export class OrgMembershipDocument {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true, index: true })
  userId: string;

  @Prop({ type: String, required: true })
  orgId: string;

  @Prop({ type: Date, required: true })
  createdAt: Date;
}

/** One change in an organisation: who, what, when, from where. */
@Schema({ collection: 'org_audit', versionKey: false, autoIndex: false })
export class OrgAuditDocument {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  orgId: string;

  @Prop({ type: Date, required: true })
  createdAt: Date;

  @Prop({ type: String, required: true })
  actorId: string;

  @Prop({ type: String, required: true })
  actorUsername: string;

  @Prop({ type: String, required: true })
  action: string;

  @Prop({ type: String, default: null })
  target?: string | null;

  @Prop({ type: Object, default: null })
  details?: Record<string, string> | null;

  @Prop({ type: String, default: null })
  ip: string | null;

  @Prop({ type: String, default: null })
  userAgent: string | null;
}

export const ORG_MODEL = 'Org';
export const ORG_MEMBERSHIP_MODEL = 'OrgMembership';
export const ORG_AUDIT_MODEL = 'OrgAudit';

export const OrgSchema = SchemaFactory.createForClass(OrgDocument);

export const OrgMembershipSchema = SchemaFactory.createForClass(OrgMembershipDocument);

export const OrgAuditSchema = SchemaFactory.createForClass(OrgAuditDocument);
