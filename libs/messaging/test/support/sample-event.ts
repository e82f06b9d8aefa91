import { defineEvent, type EventData, type EventEnvelope, createEnvelope, Topics } from '@app/contracts';
import { z } from 'zod';

/** An event only these tests know: registered at run time, published on tracking.events. */
export const SampleHappenedV1 = defineEvent({
  type: 'MessagingSampleHappened',
  version: 1,
  topic: Topics.Tracking,
  schema: z.object({ aggregateId: z.string().min(1), amount: z.number().int() }),
  example: { aggregateId: 'agg-1', amount: 1 },
});

export type SampleHappenedData = EventData<typeof SampleHappenedV1>;

export function sampleEvent(aggregateId: string, amount = 1): EventEnvelope<SampleHappenedData> {
  return createEnvelope({
    type: SampleHappenedV1.type,
    version: SampleHappenedV1.version,
    key: aggregateId,
    data: { aggregateId, amount },
    source: 'messaging-e2e',
  });
}
