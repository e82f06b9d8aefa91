import { messagingOptionsFromConfig } from './messaging.options';

describe('messagingOptionsFromConfig', () => {
  it('maps the validated config to the module options of one service', () => {
    expect(
      messagingOptionsFromConfig('tracking', {
        KAFKA_BROKERS: ['127.0.0.1:9092'],
        KAFKA_TOPIC_PREFIX: 't1.',
        KAFKA_PARTITIONS: 4,
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'tracking',
        KAFKA_SASL_PASSWORD: 'secret',
        KAFKA_MANAGE_TOPICS: false,
        OUTBOX_SWEEP_INTERVAL_MS: 500,
        OUTBOX_CRASH_AFTER_WRITE: true,
      }),
    ).toEqual({
      clientId: 'tracking',
      brokers: ['127.0.0.1:9092'],
      sasl: { mechanism: 'scram-sha-512', username: 'tracking', password: 'secret' },
      manageTopics: false,
      topicPrefix: 't1.',
      partitions: 4,
      outbox: { sweepIntervalMs: 500, crashAfterWrite: true },
    });
  });
});
