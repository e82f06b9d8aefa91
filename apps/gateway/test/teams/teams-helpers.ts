import {
  createUser,
  pickupBody,
  type HttpResult,
  type MailpitClient,
  type PortalClient,
  type TestUser,
} from '@app/testing';

export interface OrgView {
  id: string;
  name: string;
  role: string;
  members: { userId: string; role: string; email: string }[];
  invites?: { id: string; email: string; role: string }[];
}

/** The claims of an access token (read, not verified: the services verify). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

function expectStatus(res: HttpResult<unknown>, status: number, what: string): void {
  if (res.status !== status)
    throw new Error(`${what}: expected ${status}, got ${res.status} ${res.text.slice(0, 500)}`);
}

export async function createOrg(api: PortalClient, token: string, name = 'Acme Shipping'): Promise<OrgView> {
  const res = await api.post<OrgView>('/orgs', { name }, token);
  expectStatus(res, 201, 'create org');
  return res.body;
}

/** A new access token of the caller's session acting for `orgId` (null: the personal account). */
export async function switchTo(api: PortalClient, token: string, orgId: string | null): Promise<string> {
  const res = await api.post<{ accessToken: string }>('/auth/switch', { orgId }, token);
  expectStatus(res, 200, `switch to ${orgId}`);
  return res.body.accessToken;
}

/** The invitation token from the newest invitation email to `email`, as its link carries it. */
export async function invitationToken(mailpit: MailpitClient, email: string, orgName: string): Promise<string> {
  const message = await mailpit.waitForMessage({ to: email, subject: `invited to join ${orgName}`, timeoutMs: 30_000 });
  const text = await mailpit.messageText(message.ID);
  const link = /\/org\/accept#token=([^\s]+)/.exec(text)?.[1];
  if (!link) throw new Error(`no invitation link in: ${text}`);
  return decodeURIComponent(link);
}

export interface Member extends TestUser {
  /** an access token acting for the organisation */
  orgToken: string;
}

/** A new user invited by `inviterOrgToken` with `role`, who accepts from the emailed link and switches to the org. */
export async function addMember(
  api: PortalClient,
  mailpit: MailpitClient,
  inviterOrgToken: string,
  org: { id: string; name: string },
  role: string,
): Promise<Member> {
  const user = await createUser(api, mailpit);
  const invited = await api.post('/org/invites', { email: user.email, role }, inviterOrgToken);
  expectStatus(invited, 201, `invite ${role}`);
  const token = await invitationToken(mailpit, user.email, org.name);
  const accepted = await api.post('/orgs/invites/accept', { token }, user.accessToken);
  expectStatus(accepted, 200, 'accept invitation');
  return { ...user, orgToken: await switchTo(api, user.accessToken, org.id) };
}

/** POST /pickups on the first bookable day; the answer of the first try that is not a date refusal. */
export async function schedulePickup(api: PortalClient, token: string): Promise<HttpResult> {
  let last: HttpResult | undefined;
  for (let days = 2; days < 12; days++) {
    const date = new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    last = await api.post('/pickups', { ...pickupBody(), date }, token);
    if (last.status !== 400) return last;
  }
  return last as HttpResult;
}
