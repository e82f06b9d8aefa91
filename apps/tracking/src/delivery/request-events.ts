import type { EventDefinition, EventEnvelope } from '@app/contracts';
import { eventEnvelope } from '@app/messaging';
import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { TRACKING_SOURCE } from '../parcels/parcel-state';
import { Clock, IdGenerator } from '@app/platform';

/** Envelopes of the events delivery requests cause, carrying the current request id. */
@Injectable()
export class RequestEvents {
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
      { source: TRACKING_SOURCE, uuid: () => this.ids.uuid(), now: () => this.clock.now() },
      definition,
      key,
      data,
    );
  }
}
