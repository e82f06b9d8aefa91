import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { emailedCode, MailpitClient, registrationBody, startPortal, type Portal } from '@app/testing';
// Types from the package's source; the code under test is the built package (dist), loaded below.
import type * as TypedClient from '../../../../clients/typescript/src';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/**
 * The typed client for mobile apps (clients/typescript, `npm run client:build`), built as a client
 * would install it and used against the real gateway: register, verify the email, log in, read the profile.
 */
describe('typed client (clients/typescript) against the gateway', () => {
  let portal: Portal;
  let client: typeof TypedClient;

  beforeAll(async () => {
    const built = spawnSync(process.execPath, ['-r', './bench/ts-register.js', 'tools/contract/src/client-build.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (built.status !== 0) throw new Error(`npm run client:build failed:\n${built.stdout}${built.stderr}`);
    client = (await import(path.join(ROOT, 'clients', 'typescript', 'dist'))) as typeof TypedClient;
    portal = await startPortal({ apps: ['gateway', 'auth', 'notifications', 'tracking'], readyTimeoutMs: 120_000 });
  }, 240_000);

  afterAll(async () => {
    await portal?.stop();
  });

  it('registers, verifies, logs in and reads the profile through typed calls', async () => {
    const session: { accessToken?: string } = {};
    const api = client.createPortalClient(portal.gatewayUrl, { accessToken: () => session.accessToken });
    const body = registrationBody() as TypedClient.Schemas['RegisterDto'];

    const registered = await api.POST('/api/v1/auth/register', { body });
    expect(registered.response.status).toBe(201);

    const code = await emailedCode(new MailpitClient(), body.email, 'verification code');
    const verified = await api.POST('/api/v1/auth/verify-email', { body: { username: body.username, code } });
    expect(verified.response.status).toBe(204);

    const login = await api.POST('/api/v1/auth/login', { body: { username: body.username, password: body.password } });
    expect(login.response.status).toBe(200);
    // The answer is typed from the document (TokenAnswer): no cast.
    expect(login.data).toMatchObject({ tokenType: 'Bearer', accessToken: expect.any(String) });
    session.accessToken = login.data?.accessToken;

    const me = await api.GET('/api/v1/me');
    expect(me.response.status).toBe(200);
    const profile: TypedClient.Schemas['ProfileView'] | undefined = me.data;
    expect(profile).toMatchObject({ username: body.username, email: body.email, emailVerified: true });
  });

  it('gets the 400 of a malformed tracking number as an error, not data', async () => {
    const res = await client
      .createPortalClient(portal.gatewayUrl)
      .GET('/api/v1/tracking/{trackingNumber}', { params: { path: { trackingNumber: 'not-a-number' } } });
    expect(res.response.status).toBe(400);
    expect(res.data).toBeUndefined();
    expect(res.error).toMatchObject({ statusCode: 400 });
  });
});
