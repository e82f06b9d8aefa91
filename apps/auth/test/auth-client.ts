import type { CollectedEvent, EventCollector } from '@app/testing';

export interface HttpResult<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
  ms: number;
}

/** A tiny JSON client for the auth service (or the gateway in front of it). */
export class AuthClient {
  constructor(private readonly baseUrl: string) {}

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<HttpResult<T>> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const started = performance.now();
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    const ms = performance.now() - started;
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      // not JSON (a PDF)
    }
    return { status: res.status, body: parsed as T, headers: res.headers, ms };
  }
}

let counter = 0;

/** A fresh valid registration body. */
export function newRegistration(overrides: Record<string, unknown> = {}): Record<string, unknown> & {
  username: string;
  email: string;
  password: string;
} {
  counter += 1;
  const tag = `${Date.now().toString(36)}${counter}`;
  return {
    username: `user_${tag}`,
    password: `glacier orbit ${tag} lantern`,
    email: `user_${tag}@example.com`,
    firstName: 'Jane',
    lastName: 'Doe',
    accountType: 'personal',
    address: { line1: '1600 Pennsylvania Ave NW', city: 'Washington', state: 'DC', zip: '20500' },
    ...overrides,
  };
}

interface IdentityEnvelope {
  type: string;
  key: string;
  data: Record<string, unknown>;
}

/** Waits for an identity event of a type for a user. */
export async function identityEvent(
  events: EventCollector<IdentityEnvelope>,
  type: string,
  userId: string,
  extra: (e: IdentityEnvelope) => boolean = () => true,
): Promise<IdentityEnvelope> {
  const found: CollectedEvent<IdentityEnvelope> = await events.waitFor(
    (e) => e.value.type === type && e.value.key === userId && extra(e.value),
    { timeoutMs: 15_000 },
  );
  return found.value;
}
