import { z } from 'zod';
import { orgRoleSchema } from '../../orgs/org-roles';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

/**
 * A member's place in an organisation changed: joined, given another role, or removed (by someone
 * else or by leaving). Security-relevant: the member is emailed.
 */
export const OrgMembershipChangedV1 = defineEvent({
  type: 'OrgMembershipChanged',
  version: 1,
  topic: Topics.Identity,
  schema: z.object({
    orgId: z.string().min(1),
    orgName: z.string().min(1),
    userId: z.string().min(1),
    email: z.string().email(),
    change: z.enum(['joined', 'role_changed', 'removed']),
    /** the role after the change (absent when removed) */
    role: orgRoleSchema.optional(),
    previousRole: orgRoleSchema.optional(),
    /** username of who made the change */
    changedBy: z.string().min(1),
    changedAt: z.string().datetime({ offset: true }),
  }),
  example: {
    orgId: 'org_0f8fad5bd9cb469fa16570867728950e',
    orgName: 'Acme Shipping',
    userId: 'usr_01J9ZQ4W8R6V2K3M5N7P9Q1S3T',
    email: 'jane.doe@example.com',
    change: 'role_changed',
    role: 'admin',
    previousRole: 'shipper',
    changedBy: 'sam_smith',
    changedAt: '2025-01-15T10:00:00.000Z',
  },
});
export type OrgMembershipChangedData = EventData<typeof OrgMembershipChangedV1>;
