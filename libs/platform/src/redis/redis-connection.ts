import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

export interface RedisConnectionOptions {
  url: string;
  /** Prepended to every key (config `REDIS_PREFIX`). */
  keyPrefix?: string;
  /**
   * Fail a command at once while disconnected, and after `commandTimeoutMs` when Redis does not
   * answer, instead of queueing it: for callers that have a fallback (a read model over the store).
   */
  failFast?: boolean;
  /** How long a command may wait for its answer; with `failFast` 1000 ms by default, otherwise unbounded unless set. */
  commandTimeoutMs?: number;
  /** How long start-up waits for the first connection before going on without it; default 2000 ms. */
  bootWaitMs?: number;
  /** Without `failFast`: how often a command is retried across reconnects before it fails; ioredis' 20 by default. */
  maxRetriesPerRequest?: number;
  /**
   * Commands issued in one turn of the event loop go to Redis in one write (ioredis' auto-pipelining), in
   * the order issued: fewer socket writes and Redis wake-ups where a request reads several keys at once.
   * Explicit `pipeline()`/`multi()` batches are sent as they are. Default false.
   */
  autoPipelining?: boolean;
}

/**
 * The one Redis connection of a service (BullMQ's own connections aside), closed at application
 * shutdown, after every module's `onModuleDestroy` has drained what may still write to it. A
 * service still starts when Redis is down: its readiness check (`ping`) reports it, and ioredis
 * keeps reconnecting.
 */
export class RedisConnection implements OnModuleInit, OnApplicationShutdown {
  readonly client: Redis;
  private readonly bootWaitMs: number;

  constructor(options: RedisConnectionOptions) {
    this.bootWaitMs = options.bootWaitMs ?? 2000;
    this.client = new Redis(options.url, {
      keyPrefix: options.keyPrefix ?? '',
      lazyConnect: false,
      enableAutoPipelining: options.autoPipelining ?? false,
      ...(options.maxRetriesPerRequest !== undefined ? { maxRetriesPerRequest: options.maxRetriesPerRequest } : {}),
      ...(options.commandTimeoutMs !== undefined ? { commandTimeout: options.commandTimeoutMs } : {}),
      ...(options.failFast
        ? { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: options.commandTimeoutMs ?? 1000 }
        : {}),
    });
    // Failures surface through the callers and readiness; without a listener ioredis logs each reconnect attempt.
    this.client.on('error', () => undefined);
  }

  /** Whether commands can be sent now. */
  get connected(): boolean {
    return this.client.status === 'ready';
  }

  async onModuleInit(): Promise<void> {
    if (this.connected) return;
    const ready = new Promise<void>((resolve) => this.client.once('ready', () => resolve()));
    await Promise.race([ready, sleep(this.bootWaitMs)]);
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.client.status === 'end') return;
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
