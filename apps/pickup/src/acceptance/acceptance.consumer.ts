import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import {
  ConsumerGroups,
  type EventEnvelope,
  ParcelStatusChangedV1,
  type ParcelStatusChangedData,
  Topics,
} from '@app/contracts';
import { EventConsumer, type RunningConsumer } from '@app/messaging';
import { RequestContext } from '@app/platform';
import { AcceptanceService } from './acceptance.service';

/** Listens to tracking.events for acceptance scans of this service's labels. */
@Injectable()
export class AcceptanceConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: RunningConsumer;

  constructor(
    private readonly events: EventConsumer,
    private readonly acceptance: AcceptanceService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await this.events.run({
      groupId: ConsumerGroups.Pickup,
      topics: [Topics.Tracking],
      handle: async (envelope: EventEnvelope) => {
        if (envelope.type !== ParcelStatusChangedV1.type || envelope.version !== ParcelStatusChangedV1.version) return;
        // The events this causes carry the scan's correlation id (the request id that brought it in).
        await RequestContext.run(envelope.correlationId, () =>
          this.acceptance.onParcelStatusChanged(envelope as EventEnvelope<ParcelStatusChangedData>),
        );
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
