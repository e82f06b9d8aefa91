import { z } from 'zod';
import { orgRoleSchema } from '../../orgs/org-roles';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

/** Someone was invited to an organisation: the invitation link goes to `email`. */
export const OrgInvitationSentV1 = defineEvent({
  type: 'OrgInvitationSent',
  version: 1,
  topic: Topics.Identity,
  schema: z.object({
    orgId: z.string().min(1),
    orgName: z.string().min(1),
    inviteId: z.string().min(1),
    email: z.string().email(),
    role: orgRoleSchema,
    invitedBy: z.string().min(1),
    /** the single-use link token (only its hash is stored); never log it */
    token: z.string().min(20),
    expiresAt: z.string().datetime({ offset: true }),
  }),
  example: {
    orgId: 'org_0f8fad5bd9cb469fa16570867728950e',
    orgName: 'Acme Shipping',
    inviteId: 'inv_7c9e6679742540de944be07fc1f90ae7',
    email: 'sam.smith@example.com',
    role: 'shipper',
    invitedBy: 'jane_doe',
    token: 'org_0f8fad5bd9cb469fa16570867728950e.q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9',
    expiresAt: '2025-01-22T10:00:00.000Z',
  },
});
export type OrgInvitationSentData = EventData<typeof OrgInvitationSentV1>;
