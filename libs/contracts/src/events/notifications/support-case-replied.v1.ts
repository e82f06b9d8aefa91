import { z } from 'zod';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

const schema = z.object({
  caseId: z.string().min(1).max(200),
  /** the customer who owns the case */
  userId: z.string().min(1).max(200),
  /** the operator who replied */
  operatorId: z.string().min(1).max(200),
});

export const SupportCaseRepliedV1 = defineEvent({
  type: 'SupportCaseReplied',
  version: 1,
  topic: Topics.Notification,
  schema,
  example: {
    caseId: 'c2f1e0d9-8b7a-4c6d-9e5f-4a3b2c1d0e9f',
    userId: '0b9e1c2d-3f4a-4b5c-8d6e-7f8091a2b3c4',
    operatorId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  },
});

export type SupportCaseRepliedData = EventData<typeof SupportCaseRepliedV1>;
