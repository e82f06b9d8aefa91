import { type DynamicModule, Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HealthRegistry, SERVICE_INSTANCE_ID } from './health.registry';

@Module({})
export class HealthModule {
  /** Health routes answering with `instanceId`, and the registry features add readiness checks to. */
  static forRoot(instanceId: string): DynamicModule {
    return {
      module: HealthModule,
      global: true,
      controllers: [HealthController],
      providers: [HealthRegistry, { provide: SERVICE_INSTANCE_ID, useValue: instanceId }],
      exports: [HealthRegistry, SERVICE_INSTANCE_ID],
    };
  }
}
