import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { bullConnection } from '@app/platform';
import type { Redis } from 'ioredis';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config';

/** The notification queues' and workers' BullMQ connections, closed last. */
@Injectable()
export class RedisConnections implements OnApplicationShutdown {
  private readonly connections: Redis[] = [];

  constructor(@Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig) {}

  create(): Redis {
    const connection = bullConnection(this.config.REDIS_URL);
    this.connections.push(connection);
    return connection;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.connections.map((c) => c.quit()));
  }
}
