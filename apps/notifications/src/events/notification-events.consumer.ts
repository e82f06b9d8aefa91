import { ConsumerGroups, Topics } from '@app/contracts';
import { EventConsumer, type RunningConsumer } from '@app/messaging';
import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { NotificationEventsService } from './notification-events.service';

/** Consumes identity, tracking and pickup events, customers' delivery requests, and its own support replies (group `notifications`). */
@Injectable()
export class NotificationEventsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: RunningConsumer;

  constructor(
    private readonly events: EventConsumer,
    private readonly service: NotificationEventsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await this.events.run({
      groupId: ConsumerGroups.Notifications,
      topics: [Topics.Identity, Topics.Tracking, Topics.Pickup, Topics.Notification, Topics.PostalRequests],
      handle: (envelope) => this.service.handle(envelope),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
