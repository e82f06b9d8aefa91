import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';
import { ConfigValidationError, loadConfig } from './load-config';
import { kafkaConfigSchema, mongoConfigSchema, redisConfigSchema, serviceBaseConfigSchema } from './config-schemas';

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
      KAFKA_SASL_USERNAME: 'tracking',
      KAFKA_SASL_PASSWORD: 'secret',
    });
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092', '127.0.0.1:9093']);
    expect(config.MONGO_DB).toBe('tracking');
    expect(config.KAFKA_PARTITIONS).toBe(3);
    expect(config.KAFKA_SASL_MECHANISM).toBe('scram-sha-512');
    expect(config.KAFKA_MANAGE_TOPICS).toBe(false);
  });

  it('refuses to start without Kafka credentials or with another SASL mechanism', () => {
    expect(() => loadConfig(kafkaConfigSchema, {})).toThrow(/KAFKA_SASL_USERNAME/);
    expect(() =>
      loadConfig(kafkaConfigSchema, {
        KAFKA_SASL_USERNAME: 'a',
        KAFKA_SASL_PASSWORD: 'b',
        KAFKA_SASL_MECHANISM: 'plain',
      }),
    ).toThrow(/KAFKA_SASL_MECHANISM/);
  });

  it('reads the Kafka password from KAFKA_SASL_PASSWORD_FILE (a Docker secret)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secret-'));
    const file = path.join(dir, 'kafka_tracking_password');
    fs.writeFileSync(file, 'scram-password-from-a-file\n');
    try {
      const config = loadConfig(kafkaConfigSchema, { KAFKA_SASL_USERNAME: 'tracking', KAFKA_SASL_PASSWORD_FILE: file });
      expect(config.KAFKA_SASL_PASSWORD).toBe('scram-password-from-a-file');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('listens on loopback only and runs as production unless told otherwise', () => {
    const config = loadConfig(serviceBaseConfigSchema, {});
    expect(config.HOST).toBe('127.0.0.1');
    expect(config.PORTAL_ENV).toBe('production');
    expect(config.METRICS_TOKEN).toBeUndefined();
    expect(() => loadConfig(serviceBaseConfigSchema, { PORTAL_ENV: 'dev' })).toThrow(/PORTAL_ENV/);
  });

  it('reads a secret from <NAME>_FILE (a Docker secret), without the trailing newline', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secret-'));
    const file = path.join(dir, 'metrics_token');
    fs.writeFileSync(file, 'scraper-token-from-a-file\n');
    try {
      expect(loadConfig(serviceBaseConfigSchema, { METRICS_TOKEN_FILE: file }).METRICS_TOKEN).toBe(
        'scraper-token-from-a-file',
      );
      // A value set directly wins over the file.
      expect(
        loadConfig(serviceBaseConfigSchema, { METRICS_TOKEN_FILE: file, METRICS_TOKEN: 'direct-token-0123456789' })
          .METRICS_TOKEN,
      ).toBe('direct-token-0123456789');
      expect(() => loadConfig(serviceBaseConfigSchema, { METRICS_TOKEN_FILE: path.join(dir, 'none') })).toThrow(
        /METRICS_TOKEN_FILE: cannot read .* \(ENOENT\)/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
