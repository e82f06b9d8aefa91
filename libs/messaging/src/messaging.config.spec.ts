import { messagingConfigSchema, resolveMessagingOptions } from './messaging.config';

describe('messaging config', () => {
  it('keeps the outbox fault switch off by default', () => {
    expect(messagingConfigSchema.parse({})).toEqual({
      OUTBOX_SWEEP_INTERVAL_MS: 300_000,
      OUTBOX_FULL_SWEEP_INTERVAL_MS: 3_600_000,
      OUTBOX_CRASH_AFTER_WRITE: false,
      KAFKA_LAG_METRICS_INTERVAL_MS: 15_000,
    });
  });

  it('turns the fault switch on with true or 1', () => {
    expect(messagingConfigSchema.parse({ OUTBOX_CRASH_AFTER_WRITE: 'true' }).OUTBOX_CRASH_AFTER_WRITE).toBe(true);
    expect(messagingConfigSchema.parse({ OUTBOX_CRASH_AFTER_WRITE: '1' }).OUTBOX_CRASH_AFTER_WRITE).toBe(true);
    expect(messagingConfigSchema.safeParse({ OUTBOX_CRASH_AFTER_WRITE: 'yes' }).success).toBe(false);
  });

  it('fills defaults for the module options', () => {
    const options = resolveMessagingOptions({ clientId: 'tracking', brokers: ['127.0.0.1:9092'] });
    expect(options).toMatchObject({ topicPrefix: '', partitions: 3, outbox: { crashAfterWrite: false } });
  });

  it('names the bad field', () => {
    expect(() => resolveMessagingOptions({ clientId: 'x', brokers: ['nohost'] })).toThrow(
      /brokers\.0: expected host:port/,
    );
    expect(() => resolveMessagingOptions({ clientId: 'x', brokers: ['a:1'], topicPrefix: 'a b' })).toThrow(
      /topicPrefix/,
    );
  });
});
