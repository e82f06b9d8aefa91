import type { Connection } from 'mongoose';

export interface MailSummary {
  ID: string;
  To: { Address: string }[];
  Subject: string;
}

/** Every message in a Mailpit (paged through its `/api/v1/messages`). */
export async function allMessages(mailpitUrl: string): Promise<MailSummary[]> {
  const out: MailSummary[] = [];
  for (let start = 0; ; start += 500) {
    const res = await fetch(`${mailpitUrl}/api/v1/messages?start=${start}&limit=500`, {
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`Mailpit GET /api/v1/messages: ${res.status}`);
    const body = (await res.json()) as { messages: MailSummary[] | null; total: number };
    const page = body.messages ?? [];
    out.push(...page);
    if (page.length < 500) return out;
  }
}

/** How many messages each `recipient|subject` got, for the recipients `mine` accepts. */
export async function mailCounts(mailpitUrl: string, mine: (address: string) => boolean): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const message of await allMessages(mailpitUrl)) {
    for (const to of message.To) {
      if (!mine(to.Address)) continue;
      const key = `${to.Address}|${message.Subject}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

export interface MessageRecordSummary {
  _id: string;
  channel: string;
  status: string;
  attempts: number;
  to: string | null;
  lastError: string | null;
}

/** notifications' message records (one per user, channel and source event). */
export async function messageRecords(db: Connection): Promise<MessageRecordSummary[]> {
  return db.collection<MessageRecordSummary>('messages').find({}).toArray();
}

/** Counts of records by status, e.g. `{ sent: 120 }`. */
export function byStatus(records: readonly MessageRecordSummary[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
}
