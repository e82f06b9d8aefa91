import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { EventConsumer } from './consumer/event-consumer.service';
import { KafkaConnections } from './kafka-connections';
import { OutboxRelay } from './outbox/outbox-relay.service';

/** Start and stop in one place, so the order is fixed: sweep and consumers stop before the producer. */
@Injectable()
export class MessagingLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly consumers: EventConsumer,
    private readonly connections: KafkaConnections,
  ) {}

  onModuleInit(): void {
    this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    await this.consumers.stopAll();
    await this.connections.disconnect();
  }
}
