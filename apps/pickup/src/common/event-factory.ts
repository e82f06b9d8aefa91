import { Injectable } from '@nestjs/common';
import { createEnvelope, type EventDefinition, type EventEnvelope } from '@app/contracts';
import { RequestContext } from '@app/platform';
import type { z } from 'zod';
import { Clock } from './clock';
import { IdGenerator } from './id-generator';

export const SERVICE_NAME = 'pickup';

/** Builds envelopes for this service's events, carrying the current request id. */
@Injectable()
export class EventFactory {
  constructor(
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  create<S extends z.ZodType>(
    definition: EventDefinition<S>,
    key: string,
    data: z.infer<S>,
  ): EventEnvelope<z.infer<S>> {
    return createEnvelope({
      id: this.ids.uuid(),
      type: definition.type,
      version: definition.version,
      key,
      data,
      source: SERVICE_NAME,
      correlationId: RequestContext.correlationId() ?? this.ids.uuid(),
      occurredAt: this.clock.now(),
    });
  }
}
