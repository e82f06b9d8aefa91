import { z } from 'zod';

/** A member's role in an organisation (a business account). */
export const OrgRoles = {
  Owner: 'owner',
  Admin: 'admin',
  Shipper: 'shipper',
  Viewer: 'viewer',
} as const;

export type OrgRole = (typeof OrgRoles)[keyof typeof OrgRoles];

export const ORG_ROLES: readonly OrgRole[] = Object.values(OrgRoles);

export const orgRoleSchema = z.enum(ORG_ROLES as [OrgRole, ...OrgRole[]]);

/** What a role may do while its member acts for the organisation. */
export const OrgPermissions = {
  /** read the organisation's labels, pickups, address book and members */
  Read: 'read',
  /** create, change and cancel labels and pickups, and keep the address book */
  Ship: 'ship',
  /** invite, change and remove members below owner; read the audit log; top up the postage balance */
  Manage: 'manage',
  /** make, demote and remove owners; delete the organisation */
  ManageOwners: 'manage_owners',
} as const;

export type OrgPermission = (typeof OrgPermissions)[keyof typeof OrgPermissions];

/** The one table of which role does what (README "Teams" shows it; the e2e tests one cell each). */
export const ORG_ROLE_PERMISSIONS: Readonly<Record<OrgRole, readonly OrgPermission[]>> = {
  owner: ['read', 'ship', 'manage', 'manage_owners'],
  admin: ['read', 'ship', 'manage'],
  shipper: ['read', 'ship'],
  viewer: ['read'],
};

export function orgRoleAllows(role: OrgRole, permission: OrgPermission): boolean {
  return ORG_ROLE_PERMISSIONS[role].includes(permission);
}

/** The roles the table refuses `permission`: none for `read`, which every role has. */
export function orgRolesRefused(permission: OrgPermission): OrgRole[] {
  return ORG_ROLES.filter((role) => !orgRoleAllows(role, permission));
}

/** Access-token claims naming the organisation the caller acts for, and their role in it. */
export const ORG_CLAIM = 'org';
export const ORG_ROLE_CLAIM = 'org_role';

/** The owner key of what an organisation owns (labels, pickups, addresses); a person's is their user id. */
export const ORG_OWNER_PREFIX = 'org:';

/** An invitation link is good for this long. */
export const ORG_INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Audit entries are kept this long, then removed (a TTL index on MongoDB, a sweep on FerretDB). */
export const ORG_AUDIT_RETENTION_DAYS = 400;

/** Members per organisation, and open invitations per organisation (the aggregate is one document). */
export const ORG_MAX_MEMBERS = 500;
export const ORG_MAX_PENDING_INVITES = 200;

/**
 * Who among an organisation's members is told of what the organisation owns (its labels, pickups,
 * parcels, receipts), an organisation setting (`PUT /notifications/org-settings`, owners and admins):
 * - `acting_member` (default): the member who did it (bought the label, scheduled, changed or cancelled
 *   the pickup); notices nobody caused (a parcel's tracking, a pickup completed by the carrier without a
 *   known scheduler) go to the owners and admins;
 * - `owners_and_admins`: the acting member and every owner and admin;
 * - `all_members`: every member, viewers too.
 * Each member's own notification preferences still choose the channels.
 */
export const OrgNoticeRecipients = {
  ActingMember: 'acting_member',
  OwnersAndAdmins: 'owners_and_admins',
  AllMembers: 'all_members',
} as const;

export type OrgNoticeRecipient = (typeof OrgNoticeRecipients)[keyof typeof OrgNoticeRecipients];

export const ORG_NOTICE_RECIPIENTS: readonly OrgNoticeRecipient[] = Object.values(OrgNoticeRecipients);

export const DEFAULT_ORG_NOTICE_RECIPIENTS: OrgNoticeRecipient = OrgNoticeRecipients.ActingMember;
