import { ConsumerGroups, Topics } from '@app/contracts';
import { EventConsumer, type RunningConsumer } from '@app/messaging';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config';
import { NotificationEventsService } from './notification-events.service';

/** Consumes identity, tracking and pickup events, customers' delivery requests, and its own support replies (group `notifications`). */
@Injectable()
export class NotificationEventsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: RunningConsumer;

  constructor(
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    private readonly events: EventConsumer,
    private readonly service: NotificationEventsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await this.events.run({
      groupId: ConsumerGroups.Notifications,
      topics: [Topics.Identity, Topics.Tracking, Topics.Pickup, Topics.Notification, Topics.PostalRequests],
      handle: (envelope) => this.service.handle(envelope),
      concurrency: this.config.NOTIFICATIONS_EVENT_CONCURRENCY,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
