import { loadNotificationsConfig, type NotificationsConfig } from '../config';
import { DnsResolver, RefusedWebhookUrlError, WebhookUrlGuard, type ResolvedAddress } from './webhook-url-guard';

/** A DNS that answers what the test says: a name may resolve publicly at registration, privately later. */
class ScriptedDns extends DnsResolver {
  answers = new Map<string, ResolvedAddress[]>();
  override resolve(hostname: string): Promise<ResolvedAddress[]> {
    const found = this.answers.get(hostname);
    return found ? Promise.resolve(found) : Promise.reject(new Error('ENOTFOUND'));
  }
}

const KAFKA = { KAFKA_SASL_USERNAME: 'notifications', KAFKA_SASL_PASSWORD: 'x' };

function config(env: Record<string, string> = {}): NotificationsConfig {
  return loadNotificationsConfig({ ...KAFKA, PORTAL_ENV: 'development', ...env });
}

describe('WebhookUrlGuard', () => {
  const dns = new ScriptedDns();
  const guard = new WebhookUrlGuard(config({ WEBHOOK_TEST_LOOPBACK_PORT: '45678' }), dns);

  it('accepts an https URL whose name resolves to public addresses only', async () => {
    dns.answers.set('hooks.example.com', [{ address: '93.184.215.14', family: 4 }]);
    await expect(guard.check('https://hooks.example.com/in')).resolves.toMatchObject({ hostname: 'hooks.example.com' });
  });

  it('refuses a name with one private address among public ones', async () => {
    dns.answers.set('mixed.example.com', [
      { address: '93.184.215.14', family: 4 },
      { address: '10.0.0.5', family: 4 },
    ]);
    await expect(guard.check('https://mixed.example.com/')).rejects.toThrow(/resolves to 10\.0\.0\.5.*private/);
  });

  it('refuses, at delivery, a name that now resolves to the metadata service (DNS rebinding)', async () => {
    dns.answers.set('rebind.example.com', [{ address: '93.184.215.14', family: 4 }]);
    await guard.check('https://rebind.example.com/');
    dns.answers.set('rebind.example.com', [{ address: 'fd00:ec2::254', family: 6 }]);
    await expect(guard.resolvePublic('rebind.example.com')).rejects.toBeInstanceOf(RefusedWebhookUrlError);
  });

  it.each([
    ['http://hooks.example.com/', /only https/],
    ['https://user:pw@hooks.example.com/', /credentials/],
    ['https://[::ffff:7f00:1]/', /not a public address \(loopback\)/],
    ['https://0x7f.1/', /127\.0\.0\.1 is not a public address/],
    ['http://127.0.0.1:45679/', /only https/],
    ['https://127.0.0.1:45678/', /loopback/],
    ['https://nowhere.invalid/', /does not resolve/],
    ['not a url', /not an absolute URL/],
  ])('refuses %s', async (url, reason) => {
    await expect(guard.check(url)).rejects.toThrow(reason);
  });

  it('accepts the test receiver at http://127.0.0.1:<WEBHOOK_TEST_LOOPBACK_PORT> only', async () => {
    await expect(guard.check('http://127.0.0.1:45678/hook')).resolves.toMatchObject({ testLoopback: true });
    const strict = new WebhookUrlGuard(config(), dns);
    await expect(strict.check('http://127.0.0.1:45678/hook')).rejects.toThrow(/only https/);
  });

  it('refuses the loopback test setting in production', () => {
    expect(() =>
      loadNotificationsConfig({ ...KAFKA, PORTAL_ENV: 'production', WEBHOOK_TEST_LOOPBACK_PORT: '45678' }),
    ).toThrow(/WEBHOOK_TEST_LOOPBACK_PORT/);
  });
});
