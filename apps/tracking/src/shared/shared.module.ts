import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TRACKING_CONFIG, type TrackingConfig } from '../config';
import { Clock, IdGenerator } from './clock';
import { KeyedLock } from '@app/messaging';

/** Config and the side-effect injectables (clock, ids) every feature uses. */
@Global()
@Module({})
export class SharedModule {
  static forRoot(config: TrackingConfig): DynamicModule {
    const providers = [{ provide: TRACKING_CONFIG, useValue: config }, Clock, IdGenerator, KeyedLock];
    return { module: SharedModule, providers, exports: providers };
  }
}
