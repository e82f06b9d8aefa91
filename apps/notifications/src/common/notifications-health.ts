import { HealthRegistry, mongoReadinessCheck } from '@app/platform';
import { MessagingHealth } from '@app/messaging';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { DeliveryQueues } from '../queues/delivery-queues';

/** Ready when the store answers and Redis (the queues) answers; Kafka is reported, not required. */
@Injectable()
export class NotificationsHealth implements OnModuleInit {
  constructor(
    private readonly registry: HealthRegistry,
    @InjectConnection() private readonly connection: Connection,
    private readonly queues: DeliveryQueues,
    private readonly messagingHealth: MessagingHealth,
  ) {}

  onModuleInit(): void {
    this.registry.register('mongo', mongoReadinessCheck(this.connection));
    this.registry.register('redis', async () => {
      await this.queues.connection.ping();
    });
    this.messagingHealth.registerWith(this.registry);
  }
}
