import * as fs from 'node:fs';
import * as path from 'node:path';
import { APP_NAMES, type Portal } from '@app/testing';

export const OPERATOR = { username: 'sec_operator', password: 'operator lighthouse quarry 7319' };

/** Env for a portal that takes a burst of test traffic from one IP. */
export const SECURITY_PORTAL_ENV = {
  PORTAL_OPERATOR_USERNAME: OPERATOR.username,
  PORTAL_OPERATOR_PASSWORD: OPERATOR.password,
  GATEWAY_RATE_LIMIT_PER_MINUTE: '1000000',
  GATEWAY_AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
  GATEWAY_TRACKING_RATE_LIMIT_PER_MINUTE: '1000000',
  GATEWAY_TRACKING_BATCH_RATE_LIMIT_PER_MINUTE: '1000000',
};

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The error body without the per-request id, to compare two answers. */
export function withoutRequestId(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const { requestId: _requestId, ...rest } = body as Record<string, unknown>;
  return rest;
}

/** Secrets a test used (passwords, codes, tokens), to be looked for in the apps' logs afterwards. */
export class SecretLedger {
  private readonly secrets = new Map<string, string>();

  add(what: string, value: string | undefined): void {
    // Short values (six-digit codes) could match by chance inside ids or timestamps; keep them with context.
    if (value && value.length >= 6) this.secrets.set(value, what);
  }

  /** Each secret found in a log line, with the app and the line (truncated). */
  findInLogs(portal: Portal): { what: string; app: string; line: string }[] {
    const found: { what: string; app: string; line: string }[] = [];
    for (const app of APP_NAMES) {
      const file = path.join(portal.logDir, `${app}.log`);
      if (!fs.existsSync(file)) continue;
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      for (const [secret, what] of this.secrets) {
        // A code is only a leak as a word of its own: not digits inside a longer number, nor inside a request
        // id (the request ids of one fuzz run hold about 2,500 runs of six digits; one matched a code in 1 run of 7).
        const pattern = /^\d+$/.test(secret) ? new RegExp(`(?<![0-9A-Za-z])${secret}(?![0-9A-Za-z])`) : undefined;
        const line = lines.find((l) => (pattern ? pattern.test(l) : l.includes(secret)));
        if (line) found.push({ what, app, line: line.slice(0, 300) });
      }
    }
    return found;
  }

  get size(): number {
    return this.secrets.size;
  }
}

/** Reads the log files as a whole; empty when the apps wrote nothing yet. */
export function portalLogBytes(portal: Portal): number {
  return APP_NAMES.reduce((sum, app) => {
    const file = path.join(portal.logDir, `${app}.log`);
    return sum + (fs.existsSync(file) ? fs.statSync(file).size : 0);
  }, 0);
}
