import {
  type BeforeApplicationShutdown,
  Injectable,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { EventConsumer } from './consumer/event-consumer.service';
import { KafkaConnections } from './kafka-connections';
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
  ) {}

  onModuleInit(): void {
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
