import type { Request } from 'express';
import type { AuthUser } from '@app/auth';

/** Who makes a change and from where: every write of an organisation takes one (see OrgsRepository.change). */
export interface AuditActor {
  userId: string;
  username: string;
  ip: string | null;
  userAgent: string | null;
}

/** One line of the audit log, as a change describes it. */
export interface AuditRecord {
  /** one of OrgAuditActions, or `METHOD /route` for a change another service reported */
  action: OrgAuditAction | `${string} /${string}`;
  target?: string;
  details?: Record<string, string>;
}

/** Every kind of change an organisation records. */
export const OrgAuditActions = {
  Created: 'org.created',
  Deleted: 'org.deleted',
  InviteCreated: 'invite.created',
  InviteRevoked: 'invite.revoked',
  MemberJoined: 'member.joined',
  RoleChanged: 'member.role_changed',
  MemberRemoved: 'member.removed',
  MemberLeft: 'member.left',
  AddressAdded: 'address.added',
  AddressUpdated: 'address.updated',
  AddressRemoved: 'address.removed',
} as const;

export type OrgAuditAction = (typeof OrgAuditActions)[keyof typeof OrgAuditActions];

const USER_AGENT_MAX = 200;
const IP_MAX = 64;

/**
 * The caller's address: the last `X-Forwarded-For` hop, which the gateway sets to the address it
 * was called from (the services are reachable only through it), else the socket's peer.
 */
export function clientIpOf(req: Pick<Request, 'headers' | 'socket'>): string | null {
  const forwarded = req.headers['x-forwarded-for'];
  const list = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',');
  const last = list
    .map((part) => part.trim())
    .filter(Boolean)
    .at(-1);
  return (last ?? req.socket?.remoteAddress ?? null)?.slice(0, IP_MAX) ?? null;
}

export function auditActorOf(user: AuthUser, req: Pick<Request, 'headers' | 'socket'>): AuditActor {
  const agent = req.headers['user-agent'];
  return {
    userId: user.userId,
    username: user.username ?? user.userId,
    ip: clientIpOf(req),
    userAgent: typeof agent === 'string' && agent.length > 0 ? agent.slice(0, USER_AGENT_MAX) : null,
  };
}
