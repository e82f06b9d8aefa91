import { ServiceEventFactory } from '@app/messaging';
import { Injectable } from '@nestjs/common';
import { TRACKING_SOURCE } from '../parcels/parcel-state';
import { Clock, IdGenerator } from '@app/platform';

/** Envelopes of the events delivery requests cause, carrying the current request id. */
@Injectable()
export class RequestEvents extends ServiceEventFactory {
  constructor(clock: Clock, ids: IdGenerator) {
    super(TRACKING_SOURCE, clock, ids);
  }
}
