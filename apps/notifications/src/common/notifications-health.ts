import { HealthRegistry } from '@app/platform';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DeliveryQueues } from '../queues/delivery-queues';

/**
 * Redis, here the queues' connection (notifications has no other), is part of readiness; the shell
 * registers the store and messaging registers Kafka.
 */
@Injectable()
export class NotificationsHealth implements OnModuleInit {
  constructor(
    private readonly registry: HealthRegistry,
    private readonly queues: DeliveryQueues,
  ) {}

  onModuleInit(): void {
    this.registry.register('redis', async () => {
      await this.queues.connection.ping();
    });
  }
}
