import { type FactoryProvider, Inject } from '@nestjs/common';
import Redis from 'ioredis';
import { AUTH_CONFIG, type AuthConfig } from '../config';

export const AUTH_REDIS = Symbol('AUTH_REDIS');
export const InjectRedis = (): ParameterDecorator => Inject(AUTH_REDIS);

export const redisProvider: FactoryProvider<Redis> = {
  provide: AUTH_REDIS,
  inject: [AUTH_CONFIG],
  useFactory: (config: AuthConfig) =>
    new Redis(config.REDIS_URL, { keyPrefix: config.REDIS_PREFIX, lazyConnect: false, maxRetriesPerRequest: 3 }),
};
