import { Injectable } from '@nestjs/common';
import { IdGenerator, RedisConnection } from '@app/platform';

// Deletes the lease only while it still holds our token: an expired lease may belong to another holder.
const RELEASE_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** A Redis lease (SET NX PX) so one replica at a time runs a periodic task. */
@Injectable()
export class RedisLease {
  constructor(
    private readonly redis: RedisConnection,
    private readonly ids: IdGenerator,
  ) {}

  /**
   * Runs `task` while holding the lease `name`, then releases it; returns `{ ran: false }` at once
   * when another holder has it. `ttlMs` bounds how long a crashed holder blocks the others.
   */
  async runExclusive<T>(
    name: string,
    ttlMs: number,
    task: () => Promise<T>,
  ): Promise<{ ran: true; result: T } | { ran: false }> {
    const token = this.ids.uuid();
    const taken = await this.redis.client.set(name, token, 'PX', ttlMs, 'NX');
    if (taken !== 'OK') return { ran: false };
    try {
      return { ran: true, result: await task() };
    } finally {
      await this.redis.client.eval(RELEASE_SCRIPT, 1, name, token);
    }
  }
}
