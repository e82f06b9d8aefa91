import { createEnvelope, type EventDefinition, type EventEnvelope } from '@app/contracts';
import { RequestContext } from '@app/platform';
import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { Clock } from '../common/clock';

export const AUTH_SOURCE = 'auth';

/** Builds identity.events envelopes (key = userId), validated before they enter the outbox. */
@Injectable()
export class IdentityEventFactory {
  constructor(private readonly clock: Clock) {}

  create<S extends z.ZodType>(definition: EventDefinition<S>, userId: string, data: z.infer<S>): EventEnvelope {
    const parsed = definition.schema.parse(data);
    return createEnvelope({
      type: definition.type,
      version: definition.version,
      key: userId,
      data: parsed,
      source: AUTH_SOURCE,
      correlationId: RequestContext.correlationId(),
      occurredAt: this.clock.now(),
    });
  }
}
