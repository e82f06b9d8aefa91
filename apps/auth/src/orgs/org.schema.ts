import type { EventEnvelope } from '@app/contracts';
import type { OrgRole } from '@app/contracts';
import { Schema } from 'mongoose';
import type { AddressEntry } from '../users/user.schema';

export interface OrgMember {
  userId: string;
  role: OrgRole;
  username: string;
  email: string;
  joinedAt: Date;
}

/** An open invitation; only the sha256 of its link token is kept. */
export interface OrgInvite {
  id: string;
  email: string;
  role: OrgRole;
  tokenHash: string;
  invitedBy: string;
  createdAt: Date;
  expiresAt: Date;
}

/**
 * An organisation is one aggregate: its members and open invitations live in its document, so every
 * rule about them (at least one owner, one use per invitation) is checked on one read and kept by one
 * write, made while the organisation's lock is held (see OrgsRepository).
 */
export interface OrgDocument {
  _id: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
  /** bumped by every change */
  version: number;
  members: OrgMember[];
  invites: OrgInvite[];
  /** the organisation's address book (addresses are not verified: that ties a person to a home) */
  addresses?: AddressEntry[];
  outbox: EventEnvelope[];
}

/**
 * Which organisations a user belongs to, one document per (user, organisation), so listing a
 * user's organisations needs no scan of every organisation. The organisation document stays the
 * authority: an entry is checked against it before it is shown or used.
 */
export interface OrgMembershipDocument {
  _id: string;
  userId: string;
  orgId: string;
  createdAt: Date;
}

/** One change in an organisation: who, what, when, from where. */
export interface OrgAuditDocument {
  _id: string;
  orgId: string;
  createdAt: Date;
  actorId: string;
  actorUsername: string;
  action: string;
  target?: string | null;
  details?: Record<string, string> | null;
  ip: string | null;
  userAgent: string | null;
}

export const ORG_MODEL = 'Org';
export const ORG_MEMBERSHIP_MODEL = 'OrgMembership';
export const ORG_AUDIT_MODEL = 'OrgAudit';

const MemberSchema = new Schema<OrgMember>(
  {
    userId: { type: String, required: true },
    role: { type: String, required: true },
    username: { type: String, required: true },
    email: { type: String, required: true },
    joinedAt: { type: Date, required: true },
  },
  { _id: false },
);

const InviteSchema = new Schema<OrgInvite>(
  {
    id: { type: String, required: true },
    email: { type: String, required: true },
    role: { type: String, required: true },
    tokenHash: { type: String, required: true },
    invitedBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { _id: false },
);

export const OrgSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    version: { type: Number, required: true },
    members: { type: [MemberSchema], default: [] },
    invites: { type: [InviteSchema], default: [] },
    addresses: { type: [Schema.Types.Mixed], default: [] },
    outbox: { type: [Schema.Types.Mixed], default: [] },
  },
  { collection: 'orgs', versionKey: false, autoIndex: false },
);

export const OrgMembershipSchema = new Schema<OrgMembershipDocument>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true, index: true },
    orgId: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'org_memberships', versionKey: false, autoIndex: false },
);

export const OrgAuditSchema = new Schema<OrgAuditDocument>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    actorId: { type: String, required: true },
    actorUsername: { type: String, required: true },
    action: { type: String, required: true },
    target: { type: String, default: null },
    details: { type: Schema.Types.Mixed, default: null },
    ip: { type: String, default: null },
    userAgent: { type: String, default: null },
  },
  { collection: 'org_audit', versionKey: false, autoIndex: false },
);
