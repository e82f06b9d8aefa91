import { createEnvelope, type EventDefinition, type EventEnvelope } from '@app/contracts';
import { type Clock, type IdGenerator, RequestContext } from '@app/platform';
import type { z } from 'zod';

/** What a service's envelope builder supplies: who it is, a fresh id and the time now. */
export interface EnvelopeSource {
  source: string;
  uuid(): string;
  now(): Date;
}

/** What an event may fix itself instead of taking it from the source and the request. */
export interface EnvelopeOverrides {
  /** when the id must be derived (a reply's id, a scan's deterministic id) */
  id?: string;
  /** when the cause is not the current request (a scan's, a stored message's) */
  correlationId?: string;
  /** when the fact happened earlier than now */
  occurredAt?: Date;
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
  overrides: EnvelopeOverrides = {},
): EventEnvelope<z.infer<S>> {
  return createEnvelope({
    id: overrides.id ?? from.uuid(),
    type: definition.type,
    version: definition.version,
    key,
    data,
    source: from.source,
    correlationId: overrides.correlationId ?? RequestContext.correlationId() ?? from.uuid(),
    occurredAt: overrides.occurredAt ?? from.now(),
  });
}

/**
 * Builds the envelopes of one service's events: its source name, fresh ids and the clock's time.
 * Each service subclasses it once as an injectable that names its source.
 */
export abstract class ServiceEventFactory {
  private readonly from: EnvelopeSource;

  protected constructor(source: string, clock: Clock, ids: IdGenerator) {
    this.from = { source, uuid: () => ids.uuid(), now: () => clock.now() };
  }

  create<S extends z.ZodType>(
    definition: EventDefinition<S>,
    key: string,
    data: z.infer<S>,
    overrides: EnvelopeOverrides = {},
  ): EventEnvelope<z.infer<S>> {
    return eventEnvelope(this.from, definition, key, data, overrides);
  }
}
