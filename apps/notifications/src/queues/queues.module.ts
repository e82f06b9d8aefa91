import { Global, Module } from '@nestjs/common';
import { DeliveryQueues } from './delivery-queues';
import { RedisConnections } from './redis-connections';

@Global()
@Module({
  providers: [RedisConnections, DeliveryQueues],
  exports: [RedisConnections, DeliveryQueues],
})
export class QueuesModule {}
