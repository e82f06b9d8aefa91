import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** The JSON envelope every event travels in (DESIGN.md, Events). */
export const envelopeSchema = z
  .object({
    /** uuid; the idempotency key */
    id: z.string().uuid(),
    /** event type, e.g. `ParcelArrived` */
    type: z.string().min(1).max(100),
    /** schema version of `data` */
    version: z.number().int().positive(),
    /** ISO-8601 instant */
    occurredAt: z.string().datetime({ offset: true }),
    /** the service (or system) that published it */
    source: z.string().min(1).max(100),
    /** the request id that caused it, carried across services */
    correlationId: z.string().min(1).max(200),
    /** partition key: trackingNumber for parcels, userId for people */
    key: z.string().min(1).max(200),
    data: z.unknown(),
  })
  .strict();

export type EventEnvelope<TData = unknown> = Omit<z.infer<typeof envelopeSchema>, 'data'> & { data: TData };

export interface NewEvent<TData> {
  type: string;
  version: number;
  key: string;
  data: TData;
  source: string;
  correlationId?: string;
  occurredAt?: Date;
  id?: string;
}

export function createEnvelope<TData>(event: NewEvent<TData>): EventEnvelope<TData> {
  return {
    id: event.id ?? randomUUID(),
    type: event.type,
    version: event.version,
    occurredAt: (event.occurredAt ?? new Date()).toISOString(),
    source: event.source,
    correlationId: event.correlationId ?? randomUUID(),
    key: event.key,
    data: event.data,
  };
}
