import { AuthModule, authOptionsFromConfig } from '@app/auth';
import { MessagingModule, messagingOptionsFromConfig } from '@app/messaging';
import { storeOptionsFromConfig } from '@app/persistence';
import { HealthModule, ServiceAppModule } from '@app/platform';
import { type DynamicModule, Module } from '@nestjs/common';
import { AdminModule } from './admin/admin.module';
import { NotificationsHealth } from './common/notifications-health';
import { NOTIFICATIONS_CONFIG, SERVICE_NAME, type NotificationsConfig } from './config';
import { DeliveryModule } from './delivery/delivery.module';
import { NotificationEventsModule } from './events/notification-events.module';
import { InboxModule } from './inbox/inbox.module';
import { MessagesModule } from './messages/messages.module';
import { PreferencesModule } from './preferences/preferences.module';
import { QueuesModule } from './queues/queues.module';
import { SupportModule } from './support/support.module';
import { WebhooksModule, WebhooksWorkerModule } from './webhooks/webhooks.module';

export { SERVICE_NAME };

/** The store, the queues and the outbox relay (workers publish NotificationSent): what every role needs. */
function coreModules(config: NotificationsConfig) {
  return [
    ServiceAppModule.forRoot({
      config: { token: NOTIFICATIONS_CONFIG, value: config },
      mongo: { ...storeOptionsFromConfig(config), autoIndex: true },
      // For read models (the parcel shippers' membership set): a command fails at once rather than
      // wait for Redis to come back, and its readers then read the store. BullMQ has its own connections.
      redis: { url: config.REDIS_URL, keyPrefix: config.REDIS_PREFIX, failFast: true, critical: false },
    }),
    MessagingModule.forRoot(messagingOptionsFromConfig(SERVICE_NAME, config)),
    MessagesModule,
    QueuesModule,
  ];
}

/** HTTP routes and Kafka consumers (role api or all). */
function apiModules(config: NotificationsConfig) {
  return [
    AuthModule.forRoot(authOptionsFromConfig(config)),
    PreferencesModule,
    InboxModule,
    SupportModule,
    NotificationEventsModule,
    WebhooksModule,
    AdminModule,
  ];
}

@Module({})
export class AppModule {
  /** api: HTTP + consumers; worker: BullMQ workers + reconciliation; all: both. */
  static forRole(config: NotificationsConfig): DynamicModule {
    const role = config.NOTIFICATIONS_ROLE;
    return {
      module: AppModule,
      imports: [
        ...coreModules(config),
        ...(role === 'worker' ? [] : apiModules(config)),
        ...(role === 'api' ? [] : [DeliveryModule, WebhooksWorkerModule]),
        // An HTTP role gets the health routes from bootstrapService; a worker serves them itself (main.ts).
        ...(role === 'worker' ? [HealthModule.forRoot(config.INSTANCE_ID)] : []),
      ],
      providers: [NotificationsHealth],
    };
  }
}
