import { randomBytes } from 'node:crypto';
import {
  createEnvelope,
  EmailVerificationRequestedV1,
  type EmailVerificationRequestedData,
  type EventEnvelope,
} from '@app/contracts';
import type { MailpitClient } from './mailpit-client';

/** One HTTP answer, parsed as JSON when it is JSON. */
export interface HttpResult<T = Record<string, unknown>> {
  status: number;
  body: T;
  /** The raw body text (a PDF is read as latin1 text). */
  text: string;
  headers: Headers;
  ms: number;
}

export interface CallOptions {
  token?: string;
  headers?: Record<string, string>;
  /** Sent as is when a string, else JSON-encoded. */
  body?: unknown;
}

/** A small JSON client for the portal (the gateway, or one service directly); never throws on a status. */
export class PortalClient {
  constructor(readonly baseUrl: string) {}

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<HttpResult<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['content-type'] ??= 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const started = performance.now();
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body:
        options.body === undefined
          ? undefined
          : typeof options.body === 'string'
            ? options.body
            : JSON.stringify(options.body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = Buffer.from(await res.arrayBuffer()).toString('latin1');
    const ms = performance.now() - started;
    let body: unknown = text;
    try {
      body = text ? JSON.parse(Buffer.from(text, 'latin1').toString('utf8')) : {};
    } catch {
      // not JSON (a PDF, a bare text answer)
    }
    return { status: res.status, body: body as T, text, headers: res.headers, ms };
  }

  get<T = Record<string, unknown>>(path: string, token?: string) {
    return this.call<T>('GET', path, { token });
  }

  post<T = Record<string, unknown>>(path: string, body?: unknown, token?: string) {
    return this.call<T>('POST', path, { body, token });
  }
}

function expectStatus(res: HttpResult<unknown>, status: number, what: string): void {
  if (res.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${res.status} ${res.text.slice(0, 500)}`);
  }
}

let sequence = 0;

/** A unique lower-case tag for names and emails. */
export function uniqueTag(): string {
  sequence += 1;
  return `${Date.now().toString(36)}${sequence}${randomBytes(2).toString('hex')}`;
}

export const TEST_HOME_ADDRESS = {
  line1: '1600 Pennsylvania Ave NW',
  city: 'Washington',
  state: 'DC',
  zip: '20500',
} as const;

/** A valid registration body with a fresh username, email and a strong password. */
export function registrationBody(overrides: Record<string, unknown> = {}) {
  const tag = uniqueTag();
  return {
    username: `user_${tag}`,
    password: `glacier orbit ${tag} lantern`,
    email: `user_${tag}@example.com`,
    firstName: 'Jane',
    lastName: 'Doe',
    accountType: 'personal',
    address: { ...TEST_HOME_ADDRESS },
    ...overrides,
  } as { username: string; password: string; email: string } & Record<string, unknown>;
}

export interface TestUser {
  userId: string;
  username: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  /** The code that verified the email (to look for in logs). */
  verificationCode: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

/** The six- to eight-digit code in the newest message to `to` whose subject contains `subject`. */
export async function emailedCode(
  mailpit: MailpitClient,
  to: string,
  subject: string,
  notIn: readonly string[] = [],
): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const messages = (await mailpit.messages(to)).filter((m) => m.Subject.includes(subject));
    for (const message of messages) {
      const code = /\b(\d{6,8})\b/.exec(await mailpit.messageText(message.ID))?.[1];
      if (code && !notIn.includes(code)) return code;
    }
    if (Date.now() > deadline) throw new Error(`no message to ${to} with subject "${subject}" and a new code`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function login(api: PortalClient, username: string, password: string): Promise<TokenPair> {
  const res = await api.post<TokenPair>('/auth/login', { username, password });
  expectStatus(res, 200, `login ${username}`);
  return res.body;
}

/** Registers a user, verifies the email with the emailed code and logs in. */
export async function createUser(
  api: PortalClient,
  mailpit: MailpitClient,
  overrides: Record<string, unknown> = {},
): Promise<TestUser> {
  const body = registrationBody(overrides);
  const registered = await api.post<{ userId: string }>('/auth/register', body);
  expectStatus(registered, 201, 'register');
  const code = await emailedCode(mailpit, body.email, 'verification code');
  expectStatus(await api.post('/auth/verify-email', { username: body.username, code }), 204, 'verify-email');
  const tokens = await login(api, body.username, body.password);
  return {
    userId: registered.body.userId,
    username: body.username,
    email: body.email,
    password: body.password,
    verificationCode: code,
    ...tokens,
  };
}

export const TEST_FROM = { name: 'ADA LOVELACE', line1: '1 MAIN ST', city: 'CHICAGO', state: 'IL', zip: '60601' };
export const TEST_TO = { name: 'ALAN TURING', line1: '2 ELM ST', city: 'DENVER', state: 'CO', zip: '80202' };

/** Pays by Stripe's test Visa card (stripe-mock in the test stack approves every charge). */
export const TEST_CARD_PAYMENT = { method: 'card', paymentMethodId: 'pm_card_visa' } as const;

export interface CreatedLabel {
  labelId: string;
  trackingNumber: string;
  priceCents: number;
}

export async function createLabel(
  api: PortalClient,
  token: string,
  overrides: Record<string, unknown> = {},
): Promise<CreatedLabel> {
  const res = await api.post<CreatedLabel>(
    '/labels',
    { from: TEST_FROM, to: TEST_TO, weightOz: 20, service: 'priority', payment: TEST_CARD_PAYMENT, ...overrides },
    token,
  );
  expectStatus(res, 201, 'create label');
  return res.body;
}

export interface CreatedAddress {
  id: string;
}

export async function createAddress(
  api: PortalClient,
  token: string,
  overrides: Record<string, unknown> = {},
): Promise<CreatedAddress & Record<string, unknown>> {
  const res = await api.post<CreatedAddress & Record<string, unknown>>(
    '/me/addresses',
    { label: 'home', name: 'JANE DOE', line1: '3 OAK AVE', city: 'ARLINGTON', state: 'VA', zip: '22201', ...overrides },
    token,
  );
  expectStatus(res, 201, 'create address');
  return res.body;
}

/** A pickup body; `date` defaults to a bookable day found by `createPickup`. */
export function pickupBody(overrides: Record<string, unknown> = {}) {
  return {
    address: TEST_FROM,
    packageLocation: 'front_door',
    packages: { priorityExpress: 0, priority: 1, groundAdvantage: 0, returns: 0, international: 0, other: 0 },
    estimatedWeightLb: 3,
    contact: { email: 'pickup@example.com' },
    ...overrides,
  };
}

/** Schedules a pickup on the first bookable day from two days ahead (skipping Sundays and holidays). */
export async function createPickup(
  api: PortalClient,
  token: string,
  overrides: Record<string, unknown> = {},
): Promise<{ confirmationNumber: string; date: string } & Record<string, unknown>> {
  let last: HttpResult | undefined;
  for (let days = 2; days < 12; days++) {
    const date = new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    last = await api.post('/pickups', { ...pickupBody(overrides), date }, token);
    if (last.status === 201) return last.body as { confirmationNumber: string; date: string };
    if (last.status !== 400) break;
  }
  throw new Error(`create pickup: ${last?.status} ${last?.text.slice(0, 500)}`);
}

export async function createOrder(
  api: PortalClient,
  token: string,
  shippingAddressId: string,
  items: { sku: string; quantity: number }[] = [],
): Promise<{ orderId: string; totalCents: number; status: string }> {
  let order = items;
  if (order.length === 0) {
    const catalogue = await api.get<{ items: { sku: string }[] }>('/stamps');
    expectStatus(catalogue, 200, 'stamps catalogue');
    order = [{ sku: catalogue.body.items[0].sku, quantity: 1 }];
  }
  const res = await api.post<{ orderId: string; totalCents: number; status: string }>(
    '/orders',
    { items: order, shippingAddressId, payment: TEST_CARD_PAYMENT },
    token,
  );
  expectStatus(res, 201, 'place order');
  return res.body;
}

export async function createSupportCase(
  api: PortalClient,
  token: string,
  overrides: Record<string, unknown> = {},
): Promise<{ caseId: string; status: string }> {
  const res = await api.post<{ caseId: string; status: string }>(
    '/support/cases',
    { subject: 'Where is my parcel?', body: 'It has not moved for a week.', ...overrides },
    token,
  );
  expectStatus(res, 201, 'open support case');
  return res.body;
}

/**
 * `count` EmailVerificationRequested events of one run (users `u-<run>-<i>`): each sends one
 * security email, whatever the preferences. `email` names the address of the i-th user.
 */
export function verificationCodeEvents(
  run: string,
  count: number,
  email: (i: number) => string = (i) => `u${i}-${run}@example.com`,
): EventEnvelope<EmailVerificationRequestedData>[] {
  return Array.from({ length: count }, (_, i) =>
    createEnvelope({
      type: EmailVerificationRequestedV1.type,
      version: EmailVerificationRequestedV1.version,
      key: `u-${run}-${i}`,
      source: 'test',
      data: {
        userId: `u-${run}-${i}`,
        email: email(i),
        firstName: 'Test',
        code: String(100000 + i),
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    }),
  );
}
