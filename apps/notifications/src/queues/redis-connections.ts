import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import IORedis, { type Redis } from 'ioredis';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config';

/** Redis connections for BullMQ (`maxRetriesPerRequest: null`, as BullMQ requires), closed last. */
@Injectable()
export class RedisConnections implements OnApplicationShutdown {
  private readonly connections: Redis[] = [];

  constructor(@Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig) {}

  create(): Redis {
    const connection = new IORedis(this.config.REDIS_URL, { maxRetriesPerRequest: null });
    this.connections.push(connection);
    return connection;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.connections.map((c) => c.quit()));
  }
}
