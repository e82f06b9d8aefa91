import { createHash, timingSafeEqual } from 'node:crypto';
import type { AuthUser } from '@app/auth';
import {
  ORG_INVITE_TTL_MS,
  ORG_MAX_MEMBERS,
  ORG_MAX_PENDING_INVITES,
  OrgInvitationSentV1,
  OrgMembershipChangedV1,
  OrgCreatedV1,
  OrgPermissions,
  OrgRoles,
  orgRoleAllows,
  type OrgPermission,
  type OrgRole,
} from '@app/contracts';
import { decodeTimeCursor, encodeTimeCursor, pageOf, type Page, Clock } from '@app/platform';
import { ConflictException, ForbiddenException, GoneException, Injectable, NotFoundException } from '@nestjs/common';
import { normalizeEmail } from '../common/normalize';
import { RandomSource } from '../common/random';
import { IdentityEventFactory } from '../users/identity-event-factory';
import { UsersRepository } from '../users/users.repository';
import { OrgAuditActions, type AuditActor } from './org-audit';
import type { OrgAuditDocument, OrgDocument, OrgInvite, OrgMember } from './org.schema';
import { OrgsRepository, type OrgChange } from './orgs.repository';
import { SendQuotas } from '../common/send-quotas';

export interface OrgSummary {
  id: string;
  name: string;
  role: OrgRole;
}

export interface MemberView {
  userId: string;
  username: string;
  email: string;
  role: OrgRole;
  joinedAt: string;
}

export interface InviteView {
  id: string;
  email: string;
  role: OrgRole;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
}

export interface OrgView extends OrgSummary {
  createdAt: string;
  members: MemberView[];
  /** open invitations; only for members who manage members */
  invites?: InviteView[];
}

export interface AuditView {
  id: string;
  at: string;
  actor: { userId: string; username: string };
  action: string;
  target?: string;
  details?: Record<string, string>;
  ip: string | null;
  userAgent: string | null;
}

export const NOT_ACTING_FOR_ORG =
  'you are acting for your personal account: switch to an organisation first (POST /auth/switch)';
export const LAST_OWNER = 'an organisation keeps at least one owner: make another member owner first';
const INVITE_NOT_FOUND = 'invitation not found, or used already';

function hashInviteSecret(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** `<orgId>.<secret>`: the organisation is found by `_id`, the secret matched against the stored hash. */
export function orgIdOfInviteToken(token: string): string | undefined {
  const match = /^(org_[0-9a-f]{32})\.[A-Za-z0-9_-]{40,64}$/.exec(token);
  return match?.[1];
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

function owners(members: readonly OrgMember[]): number {
  return members.filter((m) => m.role === OrgRoles.Owner).length;
}

/** Organisations: creation, invitations, members and roles, and their audit log. */
@Injectable()
export class OrgsService {
  constructor(
    private readonly orgs: OrgsRepository,
    private readonly users: UsersRepository,
    private readonly events: IdentityEventFactory,
    private readonly random: RandomSource,
    private readonly clock: Clock,
    private readonly quotas: SendQuotas,
  ) {}

  async create(actor: AuditActor, name: string): Promise<OrgView> {
    const user = await this.users.findById(actor.userId);
    if (!user) throw new NotFoundException('user not found');
    const now = this.clock.now();
    const orgId = this.random.id('org');
    // Tells other services the founder is its first owner (notifications addresses the organisation's notices by role).
    const created = this.events.create(OrgCreatedV1, orgId, {
      orgId,
      orgName: name,
      ownerUserId: user._id,
      createdAt: now.toISOString(),
    });
    const org: OrgDocument = {
      _id: orgId,
      name,
      createdAt: now,
      updatedAt: now,
      version: 1,
      members: [{ userId: user._id, role: OrgRoles.Owner, username: user.username, email: user.email, joinedAt: now }],
      invites: [],
      outbox: [created],
    };
    await this.orgs.create(org, actor, { action: OrgAuditActions.Created, details: { name } });
    return this.view(org, OrgRoles.Owner);
  }

  async listMine(userId: string): Promise<{ items: OrgSummary[] }> {
    const found = await this.orgs.orgsOf(userId);
    return { items: found.map(({ org, member }) => ({ id: org._id, name: org.name, role: member.role })) };
  }

  /** The organisation the caller acts for, with the role it has now (not the token's, which may be older). */
  async current(user: AuthUser): Promise<OrgView> {
    const { org, member } = await this.acting(user, OrgPermissions.Read);
    return this.view(org, member.role);
  }

  async invite(user: AuthUser, actor: AuditActor, rawEmail: string, role: OrgRole): Promise<InviteView> {
    const email = normalizeEmail(rawEmail);
    const { org: seen } = await this.acting(user, OrgPermissions.Manage);
    // Counted once the caller may invite: each invitation (a new one or a replacement) is an email.
    await this.quotas.invitation(user.userId, email);
    const token = `${seen._id}.${this.random.token(32)}`;
    return this.orgs.change(seen._id, actor, (org) => {
      const me = this.memberWith(org, user.userId, OrgPermissions.Manage);
      this.assertMayGrant(me.role, role);
      if (org.members.some((m) => normalizeEmail(m.email) === email)) {
        throw new ConflictException('someone with that email is a member already');
      }
      const now = this.clock.now();
      // A new invitation to the same address replaces the open one (its link stops working).
      const invites = org.invites.filter((i) => i.email !== email && i.expiresAt > now);
      if (invites.length >= ORG_MAX_PENDING_INVITES) {
        throw new ConflictException(`at most ${ORG_MAX_PENDING_INVITES} open invitations per organisation`);
      }
      const invite: OrgInvite = {
        id: this.random.id('inv'),
        email,
        role,
        tokenHash: hashInviteSecret(token),
        invitedBy: actor.username,
        createdAt: now,
        expiresAt: new Date(now.getTime() + ORG_INVITE_TTL_MS),
      };
      const event = this.events.create(OrgInvitationSentV1, org._id, {
        orgId: org._id,
        orgName: org.name,
        inviteId: invite.id,
        email,
        role,
        invitedBy: actor.username,
        token,
        expiresAt: invite.expiresAt.toISOString(),
      });
      return {
        members: org.members,
        invites: [...invites, invite],
        events: [event],
        audit: [{ action: OrgAuditActions.InviteCreated, target: email, details: { role, inviteId: invite.id } }],
        result: inviteView(invite),
      };
    });
  }

  async revokeInvite(user: AuthUser, actor: AuditActor, inviteId: string): Promise<void> {
    const { org: seen } = await this.acting(user, OrgPermissions.Manage);
    await this.orgs.change(seen._id, actor, (org) => {
      const me = this.memberWith(org, user.userId, OrgPermissions.Manage);
      const invite = org.invites.find((i) => i.id === inviteId);
      if (!invite) throw new NotFoundException('invitation not found');
      this.assertMayGrant(me.role, invite.role);
      return {
        members: org.members,
        invites: org.invites.filter((i) => i.id !== inviteId),
        events: [],
        audit: [{ action: OrgAuditActions.InviteRevoked, target: invite.email, details: { inviteId } }],
        result: undefined,
      };
    });
  }

  /** The invited person (signed in, with the invited email verified) joins; the link then stops working. */
  async accept(actor: AuditActor, token: string): Promise<OrgSummary> {
    const orgId = orgIdOfInviteToken(token);
    if (!orgId) throw new NotFoundException(INVITE_NOT_FOUND);
    const user = await this.users.findById(actor.userId);
    if (!user) throw new NotFoundException('user not found');
    const hash = hashInviteSecret(token);
    return this.orgs
      .change(orgId, actor, (org): OrgChange<OrgSummary> => {
        const invite = org.invites.find((i) => sameHash(i.tokenHash, hash));
        if (!invite) throw new NotFoundException(INVITE_NOT_FOUND);
        if (invite.expiresAt <= this.clock.now())
          throw new GoneException('the invitation has expired; ask for a new one');
        if (normalizeEmail(user.email) !== invite.email || !user.emailVerified) {
          throw new ForbiddenException('the invitation is for another email address: sign in as the invited person');
        }
        if (org.members.some((m) => m.userId === user._id)) throw new ConflictException('you are a member already');
        if (org.members.length >= ORG_MAX_MEMBERS) {
          throw new ConflictException(`an organisation has at most ${ORG_MAX_MEMBERS} members`);
        }
        const now = this.clock.now();
        const member: OrgMember = {
          userId: user._id,
          role: invite.role,
          username: user.username,
          email: user.email,
          joinedAt: now,
        };
        return {
          members: [...org.members, member],
          invites: org.invites.filter((i) => i.id !== invite.id),
          events: [this.membershipEvent(org, member, 'joined', actor.username)],
          audit: [
            {
              action: OrgAuditActions.MemberJoined,
              target: user._id,
              details: { role: invite.role, inviteId: invite.id },
            },
          ],
          joined: [user._id],
          result: { id: org._id, name: org.name, role: invite.role },
        };
      })
      .catch((error: unknown) => {
        // an unknown organisation in a well-formed token is just an unknown invitation
        if (error instanceof NotFoundException) throw new NotFoundException(INVITE_NOT_FOUND);
        throw error;
      });
  }

  async changeRole(user: AuthUser, actor: AuditActor, userId: string, role: OrgRole): Promise<MemberView> {
    const { org: seen } = await this.acting(user, OrgPermissions.Manage);
    return this.orgs.change(seen._id, actor, (org) => {
      const me = this.memberWith(org, user.userId, OrgPermissions.Manage);
      const target = org.members.find((m) => m.userId === userId);
      if (!target) throw new NotFoundException('member not found');
      this.assertMayGrant(me.role, target.role);
      this.assertMayGrant(me.role, role);
      const changed = { ...target, role };
      const members = org.members.map((m) => (m.userId === userId ? changed : m));
      if (owners(members) === 0) throw new ConflictException(LAST_OWNER);
      if (target.role === role) {
        return { ...unchanged(org), result: memberView(target) };
      }
      return {
        members,
        invites: org.invites,
        events: [this.membershipEvent(org, changed, 'role_changed', actor.username, target.role)],
        audit: [{ action: OrgAuditActions.RoleChanged, target: userId, details: { role, previousRole: target.role } }],
        result: memberView(changed),
      };
    });
  }

  /** Removes a member; any member may remove themselves (leave), except the last owner. */
  async removeMember(user: AuthUser, actor: AuditActor, userId: string): Promise<void> {
    const leaving = userId === user.userId;
    const { org: seen } = await this.acting(user, leaving ? OrgPermissions.Read : OrgPermissions.Manage);
    await this.orgs.change(seen._id, actor, (org) => {
      const me = this.memberWith(org, user.userId, leaving ? OrgPermissions.Read : OrgPermissions.Manage);
      const target = org.members.find((m) => m.userId === userId);
      if (!target) throw new NotFoundException('member not found');
      if (!leaving) this.assertMayGrant(me.role, target.role);
      const members = org.members.filter((m) => m.userId !== userId);
      if (owners(members) === 0) throw new ConflictException(LAST_OWNER);
      return {
        members,
        invites: org.invites,
        events: [this.membershipEvent(org, target, 'removed', actor.username, target.role)],
        audit: [
          {
            action: leaving ? OrgAuditActions.MemberLeft : OrgAuditActions.MemberRemoved,
            target: userId,
            details: { previousRole: target.role },
          },
        ],
        left: [userId],
        result: undefined,
      };
    });
  }

  /** Deletes the organisation (owners only): every member loses it at their next refresh. What it owned stays, unreachable. */
  async delete(user: AuthUser, actor: AuditActor): Promise<void> {
    const { org: seen } = await this.acting(user, OrgPermissions.ManageOwners);
    await this.orgs.change(seen._id, actor, (org) => {
      this.memberWith(org, user.userId, OrgPermissions.ManageOwners);
      return {
        members: [],
        invites: [],
        events: [],
        audit: [{ action: OrgAuditActions.Deleted, details: { name: org.name } }],
        left: org.members.map((m) => m.userId),
        deleted: true,
        result: undefined,
      };
    });
  }

  async auditLog(user: AuthUser, limit: number, cursor?: string): Promise<Page<AuditView>> {
    const after = decodeTimeCursor(cursor);
    const { org } = await this.acting(user, OrgPermissions.Manage);
    const rows = await this.orgs.auditPage(org._id, limit, after);
    return pageOf(rows, limit, (last) => encodeTimeCursor({ createdAt: last.createdAt, id: last._id }), auditView);
  }

  /** The organisation the token acts for and the caller's current membership, which must allow `permission`. */
  private async acting(user: AuthUser, permission: OrgPermission): Promise<{ org: OrgDocument; member: OrgMember }> {
    if (!user.org) throw new ForbiddenException(NOT_ACTING_FOR_ORG);
    const org = await this.orgs.findById(user.org.id);
    // removed (or the organisation deleted) since the token was issued
    if (!org) throw new ForbiddenException('you are no longer a member of this organisation');
    return { org, member: this.memberWith(org, user.userId, permission) };
  }

  private memberWith(org: OrgDocument, userId: string, permission: OrgPermission): OrgMember {
    const member = org.members.find((m) => m.userId === userId);
    if (!member) throw new ForbiddenException('you are no longer a member of this organisation');
    if (!orgRoleAllows(member.role, permission)) {
      throw new ForbiddenException(`your role in this organisation (${member.role}) does not allow this`);
    }
    return member;
  }

  /** Owners alone make, unmake, invite or remove owners. */
  private assertMayGrant(myRole: OrgRole, role: OrgRole): void {
    if (role === OrgRoles.Owner && !orgRoleAllows(myRole, OrgPermissions.ManageOwners)) {
      throw new ForbiddenException('only an owner may grant, change or remove the owner role');
    }
  }

  private membershipEvent(
    org: OrgDocument,
    member: OrgMember,
    change: 'joined' | 'role_changed' | 'removed',
    changedBy: string,
    previousRole?: OrgRole,
  ) {
    return this.events.create(OrgMembershipChangedV1, org._id, {
      orgId: org._id,
      orgName: org.name,
      userId: member.userId,
      email: member.email,
      change,
      ...(change !== 'removed' ? { role: member.role } : {}),
      ...(previousRole ? { previousRole } : {}),
      changedBy,
      changedAt: this.clock.now().toISOString(),
    });
  }

  private view(org: OrgDocument, role: OrgRole): OrgView {
    const now = this.clock.now();
    return {
      id: org._id,
      name: org.name,
      role,
      createdAt: org.createdAt.toISOString(),
      members: org.members.map(memberView),
      ...(orgRoleAllows(role, OrgPermissions.Manage)
        ? { invites: org.invites.filter((i) => i.expiresAt > now).map(inviteView) }
        : {}),
    };
  }
}

/** A change that changes nothing: nothing is written, nothing recorded. */
function unchanged(org: OrgDocument): Omit<OrgChange<never>, 'result'> {
  return { members: org.members, invites: org.invites, events: [], audit: [], unchanged: true };
}

function memberView(member: OrgMember): MemberView {
  return {
    userId: member.userId,
    username: member.username,
    email: member.email,
    role: member.role,
    joinedAt: member.joinedAt.toISOString(),
  };
}

function inviteView(invite: OrgInvite): InviteView {
  return {
    id: invite.id,
    email: invite.email,
    role: invite.role,
    invitedBy: invite.invitedBy,
    createdAt: invite.createdAt.toISOString(),
    expiresAt: invite.expiresAt.toISOString(),
  };
}

function auditView(row: OrgAuditDocument): AuditView {
  return {
    id: row._id,
    at: row.createdAt.toISOString(),
    actor: { userId: row.actorId, username: row.actorUsername },
    action: row.action,
    ...(row.target ? { target: row.target } : {}),
    ...(row.details ? { details: row.details } : {}),
    ip: row.ip,
    userAgent: row.userAgent,
  };
}
