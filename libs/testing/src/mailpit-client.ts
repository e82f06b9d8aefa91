import { waitFor } from './wait-for';

/** One message in Mailpit's list and search answers. */
export interface MailpitMessageSummary {
  ID: string;
  MessageID: string;
  From: { Name: string; Address: string };
  To: { Name: string; Address: string }[];
  Subject: string;
  Snippet: string;
  Created: string;
}

/** A message read in full (reading it marks it read). */
export interface MailpitMessage extends MailpitMessageSummary {
  Text: string;
  HTML: string;
}

/** Reads the mail the services sent, through Mailpit's REST API (`/api/v1`). */
export class MailpitClient {
  constructor(private readonly baseUrl: string = MailpitClient.urlFromEnv()) {}

  private static urlFromEnv(): string {
    const url = process.env.MAILPIT_URL;
    if (!url) throw new Error('MAILPIT_URL is not set: run e2e tests through the e2e jest project');
    return url;
  }

  /** Newest first; only those addressed to `to` when given. */
  async messages(to?: string): Promise<MailpitMessageSummary[]> {
    const path = to ? `/api/v1/search?query=${encodeURIComponent(`to:"${to}"`)}` : '/api/v1/messages';
    const body = (await this.request('GET', path)) as { messages: MailpitMessageSummary[] | null };
    return body.messages ?? [];
  }

  /** Waits for a message to `to` (and whose subject contains or matches `subject`). */
  async waitForMessage({
    to,
    subject,
    timeoutMs = 15_000,
  }: {
    to: string;
    subject?: string | RegExp;
    timeoutMs?: number;
  }): Promise<MailpitMessageSummary> {
    const matches = (s: string) =>
      subject === undefined || (typeof subject === 'string' ? s.includes(subject) : subject.test(s));
    return waitFor(async () => (await this.messages(to)).find((m) => matches(m.Subject)), {
      timeoutMs,
      intervalMs: 200,
      description: `a message to ${to}${subject === undefined ? '' : ` with subject ${String(subject)}`}`,
    });
  }

  async message(id: string): Promise<MailpitMessage> {
    return (await this.request('GET', `/api/v1/message/${encodeURIComponent(id)}`)) as MailpitMessage;
  }

  /** The plain-text body. */
  async messageText(id: string): Promise<string> {
    return (await this.message(id)).Text;
  }

  async deleteAll(): Promise<void> {
    await this.request('DELETE', '/api/v1/messages');
  }

  private async request(method: string, path: string): Promise<unknown> {
    const res = await fetch(`${this.baseUrl}${path}`, { method, signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`Mailpit ${method} ${path}: ${res.status} ${await res.text()}`);
    const text = await res.text();
    return text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  }
}
