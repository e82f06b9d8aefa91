import { createEnvelope, type EventDefinition, type EventEnvelope } from '@app/contracts';
import { RequestContext } from '@app/platform';
import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { TRACKING_SOURCE } from '../parcels/parcel-state';
import { Clock, IdGenerator } from '../shared/clock';

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
    return createEnvelope({
      id: this.ids.uuid(),
      type: definition.type,
      version: definition.version,
      key,
      data,
      source: TRACKING_SOURCE,
      correlationId: RequestContext.correlationId() ?? this.ids.uuid(),
      occurredAt: this.clock.now(),
    });
  }
}
