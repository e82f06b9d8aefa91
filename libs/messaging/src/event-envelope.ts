import { createEnvelope, type EventDefinition, type EventEnvelope } from '@app/contracts';
import { RequestContext } from '@app/platform';
import type { z } from 'zod';

/** What a service's envelope builder supplies: who it is, a fresh id and the time now. */
export interface EnvelopeSource {
  source: string;
  uuid(): string;
  now(): Date;
}

/**
 * An envelope for `definition` (its type and version, never written by hand), carrying the current
 * request's correlation id, or a new one outside a request.
 */
export function eventEnvelope<S extends z.ZodType>(
  from: EnvelopeSource,
  definition: EventDefinition<S>,
  key: string,
  data: z.infer<S>,
): EventEnvelope<z.infer<S>> {
  return createEnvelope({
    id: from.uuid(),
    type: definition.type,
    version: definition.version,
    key,
    data,
    source: from.source,
    correlationId: RequestContext.correlationId() ?? from.uuid(),
    occurredAt: from.now(),
  });
}
