import { Injectable } from '@nestjs/common';
import type { EventDefinition, EventEnvelope } from '@app/contracts';
import { eventEnvelope } from '@app/messaging';
import type { z } from 'zod';
import { Clock, IdGenerator } from '@app/platform';

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
    return eventEnvelope(
      { source: SERVICE_NAME, uuid: () => this.ids.uuid(), now: () => this.clock.now() },
      definition,
      key,
      data,
    );
  }
}
