import { Injectable } from '@nestjs/common';
import { ServiceEventFactory } from '@app/messaging';
import { Clock, IdGenerator } from '@app/platform';

export const SERVICE_NAME = 'pickup';

/** Builds envelopes for this service's events, carrying the current request id. */
@Injectable()
export class EventFactory extends ServiceEventFactory {
  constructor(clock: Clock, ids: IdGenerator) {
    super(SERVICE_NAME, clock, ids);
  }
}
