import { z } from 'zod';
import { ConfigValidationError, loadConfig } from './load-config';
import { kafkaConfigSchema, mongoConfigSchema, redisConfigSchema } from './config-schemas';

const schema = z.object({ PORT: z.coerce.number().int(), NAME: z.string().min(1) }).extend(redisConfigSchema.shape);

describe('loadConfig', () => {
  it('returns typed config with defaults applied', () => {
    expect(loadConfig(schema, { PORT: '3001', NAME: 'auth' })).toEqual({
      PORT: 3001,
      NAME: 'auth',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: '',
    });
  });

  it('lists every bad or missing variable with its reason', () => {
    let thrown: unknown;
    try {
      loadConfig(schema, { PORT: 'abc', REDIS_URL: 'http://x' });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ConfigValidationError);
    const problems = (thrown as ConfigValidationError).problems;
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/PORT: .*/);
    expect(problems.join('\n')).toMatch(/NAME: .*\(missing\)/);
    expect(problems.join('\n')).toMatch(/REDIS_URL: expected a redis:\/\/ URL/);
  });

  it('splits Kafka brokers and defaults the Mongo database to the service name', () => {
    const config = loadConfig(kafkaConfigSchema.extend(mongoConfigSchema('tracking').shape), {
      KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9093',
    });
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092', '127.0.0.1:9093']);
    expect(config.MONGO_DB).toBe('tracking');
    expect(config.KAFKA_PARTITIONS).toBe(3);
  });
});
