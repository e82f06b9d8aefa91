import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConsumerGroups, EventHandlers, ParcelStatusChangedV1, Topics } from '@app/contracts';
import { EventConsumer, type RunningConsumer } from '@app/messaging';
import { RequestContext } from '@app/platform';
import { AcceptanceService } from './acceptance.service';

/** Listens to tracking.events for acceptance scans of this service's labels. */
@Injectable()
export class AcceptanceConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: RunningConsumer;
  // Of tracking's events only status changes matter here; the others are read and skipped.
  private readonly handlers = new EventHandlers<Promise<void>>().on(ParcelStatusChangedV1, (_data, envelope) =>
    // The events this causes carry the scan's correlation id (the request id that brought it in).
    RequestContext.run(envelope.correlationId, () => this.acceptance.onParcelStatusChanged(envelope)),
  );

  constructor(
    private readonly events: EventConsumer,
    private readonly acceptance: AcceptanceService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await this.events.run({
      groupId: ConsumerGroups.Pickup,
      topics: [Topics.Tracking],
      handle: async (envelope) => {
        await this.handlers.dispatch(envelope);
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
