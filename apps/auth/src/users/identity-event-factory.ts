import type { EventDefinition, EventEnvelope } from '@app/contracts';
import { eventEnvelope, type EnvelopeSource } from '@app/messaging';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { Clock } from '@app/platform';

export const AUTH_SOURCE = 'auth';

/** Builds identity.events envelopes (key = userId), validated before they enter the outbox. */
@Injectable()
export class IdentityEventFactory {
  private readonly source: EnvelopeSource = { source: AUTH_SOURCE, uuid: randomUUID, now: () => this.clock.now() };

  constructor(private readonly clock: Clock) {}

  create<S extends z.ZodType>(definition: EventDefinition<S>, userId: string, data: z.infer<S>): EventEnvelope {
    return eventEnvelope(this.source, definition, userId, definition.schema.parse(data));
  }
}
