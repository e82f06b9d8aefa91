import {
  type BeforeApplicationShutdown,
  Injectable,
  type OnApplicationShutdown,
  type OnModuleInit,
  Optional,
} from '@nestjs/common';
import { HealthRegistry } from '@app/platform';
import { EventConsumer } from './consumer/event-consumer.service';
import { KafkaConnections } from './kafka-connections';
import { MessagingHealth } from './messaging-health.service';
import { OutboxRelay } from './outbox/outbox-relay.service';

/**
 * Start and stop in one place, so the order is fixed. The sweep and the consumers stop in
 * `beforeApplicationShutdown`, which Nest runs for every module before any `onApplicationShutdown`:
 * the store connection (closed by MongooseModule in its `onApplicationShutdown`) stays open while
 * an in-flight batch finishes. The producer disconnects last.
 */
@Injectable()
export class MessagingLifecycle implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly consumers: EventConsumer,
    private readonly connections: KafkaConnections,
    private readonly messagingHealth: MessagingHealth,
    @Optional() private readonly health?: HealthRegistry,
  ) {}

  onModuleInit(): void {
    // Every service that publishes reports Kafka in its readiness (non-critical: see MessagingHealth).
    if (this.health) this.messagingHealth.registerWith(this.health);
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    await this.consumers.stopAll();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connections.disconnect();
  }
}
