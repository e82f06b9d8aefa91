import { Injectable } from '@nestjs/common';
import { RedisConnection } from '../common/redis.provider';

const SERIAL_KEY = 'pickup:impb-serial';

/** Hands out IMpb serials from an atomic Redis counter (INCR is atomic across replicas). */
@Injectable()
export class SerialAllocator {
  constructor(private readonly redis: RedisConnection) {}

  next(): Promise<number> {
    return this.redis.client.incr(SERIAL_KEY);
  }
}
