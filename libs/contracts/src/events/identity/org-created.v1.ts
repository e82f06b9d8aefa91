import { z } from 'zod';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

/**
 * An organisation was founded; its founder is its first owner. With OrgMembershipChanged it lets
 * other services keep the roster (notifications addresses an organisation's notices to members).
 */
export const OrgCreatedV1 = defineEvent({
  type: 'OrgCreated',
  version: 1,
  topic: Topics.Identity,
  schema: z.object({
    orgId: z.string().min(1),
    orgName: z.string().min(1),
    /** the founder, its first owner */
    ownerUserId: z.string().min(1),
    createdAt: z.string().datetime({ offset: true }),
  }),
  example: {
    orgId: 'org_0f8fad5bd9cb469fa16570867728950e',
    orgName: 'Acme Shipping',
    ownerUserId: 'usr_01J9ZQ4W8R6V2K3M5N7P9Q1S3T',
    createdAt: '2025-01-15T10:00:00.000Z',
  },
});
export type OrgCreatedData = EventData<typeof OrgCreatedV1>;
