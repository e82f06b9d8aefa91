import * as fs from 'node:fs';
import * as path from 'node:path';
import { CORE_SCHEMA, load, mergeTag } from 'js-yaml';

/**
 * What docker-compose.yml and the edge's nginx.conf expose. No Docker engine runs here (CI checks the
 * file with `docker-compose config -q` and nginx's with `nginx -t`): this reads what they declare.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');

interface Service {
  image?: string;
  ports?: string[];
  profiles?: string[];
  command?: string[] | string;
  environment?: Record<string, string | number>;
  secrets?: string[];
  depends_on?: Record<string, unknown> | string[];
  network_mode?: string;
}
interface Compose {
  services: Record<string, Service>;
  secrets?: Record<string, { file?: string }>;
}

// Compose files use YAML merge keys (`<<: *service-env`), which js-yaml's core schema leaves out.
const compose = load(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), {
  schema: CORE_SCHEMA.withTags(mergeTag),
}) as Compose;
const nginx = fs.readFileSync(path.join(ROOT, 'deploy', 'nginx.conf'), 'utf8');
const APPS = ['gateway', 'auth', 'tracking', 'pickup', 'notifications'];

describe('docker-compose.yml', () => {
  it('publishes the edge, and nothing else outside the dev profile', () => {
    const published = Object.entries(compose.services)
      .filter(([, s]) => (s.ports ?? []).length > 0 && !(s.profiles ?? []).includes('dev'))
      .map(([name]) => name);
    expect(published).toEqual(['edge']);
    for (const service of Object.values(compose.services)) expect(service.network_mode).toBeUndefined();
  });

  it.each(['mongo', 'kafka', 'redis', ...APPS])('does not publish %s', (name) => {
    expect(compose.services[name]).toBeDefined();
    expect(compose.services[name].ports).toBeUndefined();
  });

  it('keeps Mailpit in the dev profile, on loopback, behind a login', () => {
    const mailpit = compose.services.mailpit;
    expect(mailpit.profiles).toEqual(['dev']);
    expect(mailpit.ports?.length).toBeGreaterThan(0);
    for (const port of mailpit.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
    const command = Array.isArray(mailpit.command) ? mailpit.command : [mailpit.command];
    const authFile = command[command.indexOf('--ui-auth-file') + 1];
    expect(authFile).toBe('/run/secrets/mailpit_ui_auth');
    expect(mailpit.secrets).toContain('mailpit_ui_auth');
    expect(compose.secrets?.mailpit_ui_auth?.file).toBeDefined();
  });

  it.each(APPS)('runs %s as production on all container interfaces, mailing through SMTP_URL', (name) => {
    const service = compose.services[name];
    const env = service.environment ?? {};
    expect(env.HOST).toBe('0.0.0.0');
    expect(env.PORTAL_ENV).toBe('production');
    // The relay comes from the operator's environment, required; Mailpit is not a production dependency.
    expect(String(env.SMTP_URL)).toMatch(/^\$\{SMTP_URL:\?/);
    const dependsOn = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
    expect(dependsOn).not.toContain('mailpit');
    expect(env.SMS_SINK_SHOW_CODES).toBeUndefined();
    // The scraper's token comes from a secret file, never from the compose file itself.
    expect(env.METRICS_TOKEN).toBeUndefined();
    expect(env.METRICS_TOKEN_FILE).toBe('/run/secrets/metrics_token');
    expect(service.secrets).toContain('metrics_token');
  });

  it('gives auth its key-encryption secret from a Docker secret', () => {
    const auth = compose.services.auth;
    expect(auth.environment?.AUTH_KEY_ENCRYPTION_SECRET).toBeUndefined();
    expect(auth.environment?.AUTH_KEY_ENCRYPTION_SECRET_FILE).toBe('/run/secrets/auth_key_encryption_secret');
    expect(auth.secrets).toContain('auth_key_encryption_secret');
    expect(compose.secrets?.auth_key_encryption_secret?.file).toBeDefined();
  });

  it('gives pickup its serial permutation key from a Docker secret', () => {
    const pickup = compose.services.pickup;
    expect(pickup.environment?.IMPB_SERIAL_KEY).toBeUndefined();
    expect(pickup.environment?.IMPB_SERIAL_KEY_FILE).toBe('/run/secrets/impb_serial_key');
    expect(pickup.secrets).toContain('impb_serial_key');
    expect(compose.secrets?.impb_serial_key?.file).toBeDefined();
  });

  it('gives pickup the payment secrets from Docker secrets, and stripe-mock only in the dev profile', () => {
    const pickup = compose.services.pickup;
    for (const [name, secret] of [
      ['STRIPE_SECRET_KEY', 'stripe_secret_key'],
      ['STRIPE_WEBHOOK_SECRET', 'stripe_webhook_secret'],
    ]) {
      expect(pickup.environment?.[name]).toBeUndefined();
      expect(pickup.environment?.[`${name}_FILE`]).toBe(`/run/secrets/${secret}`);
      expect(pickup.secrets).toContain(secret);
      expect(compose.secrets?.[secret]?.file).toBeDefined();
    }
    expect(compose.services['stripe-mock'].profiles).toEqual(['dev']);
    expect(compose.services['stripe-mock'].ports ?? []).toEqual([]);
  });
});

describe('deploy/nginx.conf (the edge)', () => {
  it('answers /metrics itself with 404', () => {
    expect(nginx).toMatch(/location = \/metrics \{\s*return 404;\s*\}/);
  });

  it('forwards to the gateway only', () => {
    const targets = [...nginx.matchAll(/set \$\w+ (\S+);/g)].map((m) => m[1]);
    expect(targets).toEqual(['http://gateway:3000']);
    expect([...nginx.matchAll(/proxy_pass (\S+);/g)].map((m) => m[1])).toEqual(['$gateway']);
  });
});
