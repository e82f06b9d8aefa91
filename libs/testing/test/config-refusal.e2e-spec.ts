import { spawn } from 'node:child_process';
import { APP_NAMES, appEntry, type AppName } from '@app/testing';

jest.setTimeout(60_000);

/** Runs a built app with `env` added and resolves with its exit code and output (it should not start). */
function boot(app: AppName, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [appEntry(app)], {
      env: { PATH: process.env.PATH, NODE_ENV: 'production', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${app} was still running after 20 s with a bad config:\n${output}`));
    }, 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

// A Kafka principal, so the checks below are about the variables they name.
const KAFKA = { KAFKA_SASL_USERNAME: 'spec', KAFKA_SASL_PASSWORD: 'spec-password' };

describe('an app with a bad configuration (built apps, no infrastructure needed)', () => {
  it.each(APP_NAMES)('%s refuses to start and names the variable', async (app) => {
    const portVar = `${app.toUpperCase()}_PORT`;
    const { code, output } = await boot(app, { [portVar]: 'not-a-port', LOG_LEVEL: 'loud' });
    expect(code).toBe(1);
    expect(output).toContain('Invalid configuration');
    expect(output).toContain(portVar);
    expect(output).toContain('LOG_LEVEL');
  });

  it.each(APP_NAMES.filter((app) => app !== 'gateway'))(
    '%s refuses to start without Kafka credentials',
    async (app) => {
      const { code, output } = await boot(app, {});
      expect(code).toBe(1);
      expect(output).toContain('KAFKA_SASL_USERNAME');
      expect(output).toContain('KAFKA_SASL_PASSWORD');
    },
  );

  it('pickup refuses to start without a serial permutation key, or with a short one', async () => {
    const missing = await boot('pickup', KAFKA);
    expect(missing.code).toBe(1);
    expect(missing.output).toMatch(/IMPB_SERIAL_KEY: a secret of at least 32 characters is required/);
    const short = await boot('pickup', { ...KAFKA, IMPB_SERIAL_KEY: 'too-short' });
    expect(short.code).toBe(1);
    expect(short.output).toMatch(/IMPB_SERIAL_KEY: use at least 32 characters/);
  });
});

describe('auth outside development', () => {
  it('refuses to start without AUTH_KEY_ENCRYPTION_SECRET and names it', async () => {
    const { code, output } = await boot('auth', KAFKA);
    expect(code).toBe(1);
    expect(output).toContain('Invalid configuration');
    expect(output).toContain('AUTH_KEY_ENCRYPTION_SECRET');
    expect(output).toContain('PORTAL_ENV=development');
  });

  it('names PORTAL_ENV when it is neither development nor production', async () => {
    const { code, output } = await boot('auth', { ...KAFKA, PORTAL_ENV: 'staging' });
    expect(code).toBe(1);
    expect(output).toContain('PORTAL_ENV');
  });

  it('reads the secret from AUTH_KEY_ENCRYPTION_SECRET_FILE, and names the file it cannot read', async () => {
    const { code, output } = await boot('auth', { ...KAFKA, AUTH_KEY_ENCRYPTION_SECRET_FILE: '/nonexistent/secret' });
    expect(code).toBe(1);
    expect(output).toContain('AUTH_KEY_ENCRYPTION_SECRET_FILE: cannot read /nonexistent/secret (ENOENT)');
  });
});

describe('notifications outside development', () => {
  it('refuses SMS_SINK_SHOW_CODES and names it', async () => {
    const { code, output } = await boot('notifications', { ...KAFKA, SMS_SINK_SHOW_CODES: 'true' });
    expect(code).toBe(1);
    expect(output).toContain('SMS_SINK_SHOW_CODES');
  });
});
