import { randomUUID } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import {
  login,
  MailpitClient,
  PortalClient,
  startPortal,
  waitFor,
  type Portal,
  type StartPortalOptions,
} from '@app/testing';

export const FLOW_OPERATOR = { username: 'flow_operator', password: 'operator harbour pylon 5823' };

/** Env for a portal driven by one test process: the seeded operator and limits a test burst never hits. */
export const FLOW_PORTAL_ENV = {
  PORTAL_OPERATOR_USERNAME: FLOW_OPERATOR.username,
  PORTAL_OPERATOR_PASSWORD: FLOW_OPERATOR.password,
  GATEWAY_RATE_LIMIT_PER_MINUTE: '1000000',
  GATEWAY_AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
  GATEWAY_TRACKING_RATE_LIMIT_PER_MINUTE: '1000000',
  GATEWAY_TRACKING_BATCH_RATE_LIMIT_PER_MINUTE: '1000000',
};

export interface Flow {
  portal: Portal;
  /** The gateway's `/api/v1`. */
  api: PortalClient;
  /** The gateway's root (JWKS, docs, health). */
  edge: PortalClient;
  mailpit: MailpitClient;
}

export async function startFlow(
  env: Record<string, string> = {},
  options: Omit<StartPortalOptions, 'env'> = {},
): Promise<Flow> {
  const portal = await startPortal({ ...options, env: { ...FLOW_PORTAL_ENV, ...env } });
  return {
    portal,
    api: new PortalClient(`${portal.gatewayUrl}/api/v1`),
    edge: new PortalClient(portal.gatewayUrl),
    mailpit: new MailpitClient(),
  };
}

export async function operatorToken(api: PortalClient): Promise<string> {
  return (await login(api, FLOW_OPERATOR.username, FLOW_OPERATOR.password)).accessToken;
}

/** A scanner API key created by the seeded operator through the gateway. */
export async function scannerKey(api: PortalClient): Promise<string> {
  const res = await api.post<{ key: string }>(
    '/admin/api-keys',
    { name: `flow-scanner-${randomUUID().slice(0, 8)}`, roles: ['scanner'] },
    await operatorToken(api),
  );
  if (res.status !== 201) throw new Error(`create api key: ${res.status} ${res.text}`);
  return res.body.key;
}

export const FACILITY = { name: 'DENVER MAIN POST OFFICE', city: 'DENVER', state: 'CO', zip: '80202' };

export function scanEvent(trackingNumber: string, code: string, occurredAt: Date, eventId: string = randomUUID()) {
  return { eventId, trackingNumber, code, occurredAt: occurredAt.toISOString(), facility: FACILITY };
}

export function postScans(api: PortalClient, key: string, events: ReturnType<typeof scanEvent>[]) {
  return api.call<{ accepted: number; rejected: { index: number; reason: string }[] }>('POST', '/scans', {
    headers: { 'x-api-key': key },
    body: { events },
  });
}

/**
 * The text drawn by a pdfkit PDF (read by PortalClient as latin1), one line per text operation.
 * pdf-parse cannot run under jest without --experimental-vm-modules, and pdfkit's output is simple:
 * Flate-compressed content streams whose text is hex strings in `TJ` arrays.
 */
export function pdfText(latin1: string): string {
  const lines: string[] = [];
  for (const [, raw] of latin1.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(raw, 'latin1')).toString('latin1');
    } catch {
      continue; // an image or font stream, not page content
    }
    for (const [, array] of content.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      const hex = [...array.matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1]).join('');
      lines.push(Buffer.from(hex, 'hex').toString('latin1'));
    }
  }
  return lines.join('\n');
}

/**
 * Requests a verification letter for an address, reads the code off the letter's PDF as an
 * operator would, and verifies the address with it.
 */
export async function verifyAddressByLetter(api: PortalClient, token: string, addressId: string): Promise<void> {
  const letter = await api.post<{ letterId: string }>(`/me/addresses/${addressId}/verification-letter`, {}, token);
  if (letter.status !== 202) throw new Error(`verification letter: ${letter.status} ${letter.text}`);
  const pdf = await api.get(`/admin/address-letters/${letter.body.letterId}/pdf`, await operatorToken(api));
  if (pdf.status !== 200) throw new Error(`letter pdf: ${pdf.status} ${pdf.text.slice(0, 300)}`);
  const text = pdfText(pdf.text);
  // The code is the first line, after the instruction to enter it (in English or Spanish), that is only the code.
  const code = /(?:Enter this code|Escriba este código)[\s\S]*?\n\s*([A-Z0-9]{4,12})\s*$/m.exec(text)?.[1];
  if (!code) throw new Error(`no code in the verification letter: ${JSON.stringify(text)}`);
  const verified = await api.post(`/me/addresses/${addressId}/verify`, { code }, token);
  if (verified.status !== 200) throw new Error(`verify address: ${verified.status} ${verified.text}`);
}

/** Waits until no new message to `to` with the subject arrives for `quietMs`, and returns how many there are. */
export async function settledCount(
  mailpit: MailpitClient,
  to: string,
  subject: string,
  quietMs = 4000,
): Promise<number> {
  const count = async () => (await mailpit.messages(to)).filter((m) => m.Subject.includes(subject)).length;
  let last = await count();
  let stableSince = Date.now();
  await waitFor(
    async () => {
      const now = await count();
      if (now !== last) {
        last = now;
        stableSince = Date.now();
      }
      return Date.now() - stableSince >= quietMs;
    },
    { timeoutMs: quietMs * 4, intervalMs: 250, description: `mail to ${to} to settle` },
  );
  return last;
}
