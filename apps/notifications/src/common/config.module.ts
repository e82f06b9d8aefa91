import { Global, Module, type DynamicModule } from '@nestjs/common';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config';

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: NotificationsConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: NOTIFICATIONS_CONFIG, useValue: config }],
      exports: [NOTIFICATIONS_CONFIG],
    };
  }
}
