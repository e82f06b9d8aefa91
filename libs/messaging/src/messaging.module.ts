import { type DynamicModule, type FactoryProvider, type ModuleMetadata, Module, type Provider } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { ConsumerMetrics } from './consumer/consumer-metrics';
import { EventConsumer } from './consumer/event-consumer.service';
import { EventPublisher } from './event-publisher.service';
import { KafkaConnections, kafkaLogCreator } from './kafka-connections';
import { stopKafkajsIdleTimer } from './kafkajs-idle-timer';
import { resolveMessagingOptions } from './messaging.config';
import { MessagingHealth } from './messaging-health.service';
import { MessagingLifecycle } from './messaging.lifecycle';
import {
  KAFKA_CLIENT,
  MESSAGING_OPTIONS,
  type MessagingOptions,
  type ResolvedMessagingOptions,
} from './messaging.options';
import { OutboxRelay } from './outbox/outbox-relay.service';
import { StoreWriteGate } from '@app/persistence';
import { TopicAdmin } from './topic-admin.service';

export interface MessagingModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: FactoryProvider['inject'];
  useFactory(...args: never[]): MessagingOptions | Promise<MessagingOptions>;
}

const kafkaProvider: Provider = {
  provide: KAFKA_CLIENT,
  inject: [MESSAGING_OPTIONS],
  useFactory: (options: ResolvedMessagingOptions) => {
    stopKafkajsIdleTimer();
    return new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      sasl: options.sasl,
      logLevel: options.logLevel,
      logCreator: kafkaLogCreator,
    });
  },
};

const services = [
  KafkaConnections,
  TopicAdmin,
  EventPublisher,
  StoreWriteGate,
  OutboxRelay,
  ConsumerMetrics,
  EventConsumer,
  MessagingHealth,
];

/**
 * Kafka for one app: topics, publisher, outbox relay, consumers, health. Global, so feature
 * modules inject `EventPublisher`, `OutboxRelay` and `EventConsumer` without importing it.
 */
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    return MessagingModule.build([{ provide: MESSAGING_OPTIONS, useValue: resolveMessagingOptions(options) }]);
  }

  static forRootAsync(options: MessagingModuleAsyncOptions): DynamicModule {
    return MessagingModule.build(
      [
        {
          provide: MESSAGING_OPTIONS,
          inject: options.inject ?? [],
          useFactory: async (...args: never[]) => resolveMessagingOptions(await options.useFactory(...args)),
        },
      ],
      options.imports,
    );
  }

  private static build(optionsProviders: Provider[], imports: ModuleMetadata['imports'] = []): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports,
      providers: [...optionsProviders, kafkaProvider, ...services, MessagingLifecycle],
      exports: [MESSAGING_OPTIONS, KAFKA_CLIENT, ...services],
    };
  }
}
