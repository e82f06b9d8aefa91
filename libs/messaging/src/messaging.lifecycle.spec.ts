import type { EventConsumer } from './consumer/event-consumer.service';
import type { KafkaConnections } from './kafka-connections';
import { MessagingLifecycle } from './messaging.lifecycle';
import { MessagingHealth } from './messaging-health.service';
import { HealthRegistry } from '@app/platform';
import type { OutboxRelay } from './outbox/outbox-relay.service';

describe('MessagingLifecycle', () => {
  it('stops the sweep and the consumers before any module closes its store, and the producer last', async () => {
    const order: string[] = [];
    const relay = { start: jest.fn(), stop: jest.fn(() => Promise.resolve(void order.push('relay'))) };
    const consumers = { stopAll: jest.fn(() => Promise.resolve(void order.push('consumers'))) };
    const connections = { disconnect: jest.fn(() => Promise.resolve(void order.push('producer'))) };
    const lifecycle = new MessagingLifecycle(
      relay as unknown as OutboxRelay,
      consumers as unknown as EventConsumer,
      connections as unknown as KafkaConnections,
      new MessagingHealth(connections as unknown as KafkaConnections),
    );
    // Nest runs every beforeApplicationShutdown, then every onApplicationShutdown (MongooseModule closes there).
    await lifecycle.beforeApplicationShutdown();
    order.push('store closed');
    await lifecycle.onApplicationShutdown();
    expect(order).toEqual(['relay', 'consumers', 'store closed', 'producer']);
  });

  it("adds Kafka to the service's readiness as a non-critical check when the service has health routes", () => {
    const relay = { start: jest.fn() };
    const connections = {} as KafkaConnections;
    const health = new HealthRegistry();
    const register = jest.spyOn(health, 'register');
    const lifecycle = new MessagingLifecycle(
      relay as unknown as OutboxRelay,
      {} as EventConsumer,
      connections,
      new MessagingHealth(connections),
      health,
    );
    lifecycle.onModuleInit();
    expect(register).toHaveBeenCalledWith('kafka', expect.any(Function), { critical: false });
    expect(relay.start).toHaveBeenCalled();
  });
});
