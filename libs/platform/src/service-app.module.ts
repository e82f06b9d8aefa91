import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnModuleInit,
  Optional,
  type Provider,
} from '@nestjs/common';
import { getConnectionToken, MongooseModule, type MongooseModuleOptions } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { Clock, IdGenerator } from './clock';
import { HealthRegistry } from './health/health.registry';
import { mongoReadinessCheck } from './health/mongo-readiness';
import { RedisConnection, type RedisConnectionOptions } from './redis/redis-connection';

/** What a service's shell is made of (its features are imported beside it, in their order). */
export interface ServiceAppOptions {
  /** The validated config (validated once, at start), provided under `token` to every module. */
  config: { token: string | symbol; value: object };
  /** The service's own database (the gateway has none). */
  mongo?: {
    url: string;
    dbName: string;
    /** Whether mongoose builds the schemas' indexes at start (services that build them themselves say false). */
    autoIndex?: boolean;
    connectionFactory?: MongooseModuleOptions['connectionFactory'];
  };
  /**
   * The service's Redis connection, if it has one of its own. `critical: false` reports Redis as
   * degraded rather than down (the service has a fallback without it).
   */
  redis?: RedisConnectionOptions & { critical?: boolean };
}

const SERVICE_REDIS_CRITICAL = Symbol('SERVICE_REDIS_CRITICAL');

/** Registers the shell's readiness checks: the store always, Redis when the service has one. */
@Injectable()
class ShellReadiness implements OnModuleInit {
  constructor(
    @Optional() private readonly health?: HealthRegistry,
    @Optional() @Inject(getConnectionToken()) private readonly connection?: Connection,
    @Optional() private readonly redis?: RedisConnection,
    @Optional() @Inject(SERVICE_REDIS_CRITICAL) private readonly redisCritical?: boolean,
  ) {}

  onModuleInit(): void {
    if (!this.health) return;
    if (this.connection) this.health.register('mongo', mongoReadinessCheck(this.connection));
    const redis = this.redis;
    if (redis) this.health.register('redis', () => redis.ping(), { critical: this.redisCritical ?? true });
  }
}

/**
 * The one shell every service is built on: its config, one `Clock`, one `IdGenerator`, its Redis
 * connection, its store and their readiness checks, all global, so a feature module declares only
 * its own parts and tests override the shared ones in one place. Kafka's readiness check comes
 * with the messaging module, the health routes with `bootstrapService`.
 */
@Module({})
export class ServiceAppModule {
  static forRoot(options: ServiceAppOptions): DynamicModule {
    const { redis, mongo } = options;
    const shared: Provider[] = [{ provide: options.config.token, useValue: options.config.value }, Clock, IdGenerator];
    if (redis) {
      const { critical = true, ...connection } = redis;
      shared.push(
        { provide: RedisConnection, useFactory: () => new RedisConnection(connection) },
        { provide: SERVICE_REDIS_CRITICAL, useValue: critical },
      );
    }
    const exported = [options.config.token, Clock, IdGenerator, ...(redis ? [RedisConnection] : [])];
    return {
      module: ServiceAppModule,
      global: true,
      imports: mongo
        ? [
            MongooseModule.forRoot(mongo.url, {
              dbName: mongo.dbName,
              ...(mongo.autoIndex === undefined ? {} : { autoIndex: mongo.autoIndex }),
              ...(mongo.connectionFactory ? { connectionFactory: mongo.connectionFactory } : {}),
            }),
          ]
        : [],
      providers: [...shared, ShellReadiness],
      exports: exported,
    };
  }
}
