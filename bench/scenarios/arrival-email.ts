import { randomUUID } from 'node:crypto';
import { Topics, type ScanRecordedData } from '@app/contracts';
import type { BenchContext } from '../support/context';
import { seconds, sleep } from '../support/context';
import { envelopeMessage } from '../support/kafka';
import { percentile } from '../support/results';
import { scanEnvelope, trackingNumber } from '../support/scans';
import { kafkaHopLatency } from './kafka-baselines';
import { registeredUsers, registerUsers, type BenchUser } from './login';

const SUBJECT = /Your parcel (\S+) is available for pickup/;
const PAGE = 1000;

interface MailpitSummary {
  ID: string;
  Subject: string;
  Created: string;
}

async function mailpit(ctx: BenchContext, method: string, path: string): Promise<unknown> {
  const res = await fetch(`${ctx.stack.mailpitUrl}${path}`, { method, signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`Mailpit ${method} ${path}: ${res.status}`);
  const text = await res.text();
  return text && res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as unknown) : text;
}

async function allMessages(ctx: BenchContext): Promise<MailpitSummary[]> {
  const out: MailpitSummary[] = [];
  for (let start = 0; ; start += PAGE) {
    const body = (await mailpit(ctx, 'GET', `/api/v1/messages?start=${start}&limit=${PAGE}`)) as {
      messages: MailpitSummary[] | null;
    };
    const page = body.messages ?? [];
    out.push(...page);
    if (page.length < PAGE) return out;
  }
}

async function mailCount(ctx: BenchContext): Promise<number> {
  const body = (await mailpit(ctx, 'GET', '/api/v1/messages?limit=1')) as { total: number };
  return body.total;
}

async function login(ctx: BenchContext, user: BenchUser): Promise<void> {
  const res = await fetch(`${ctx.stack.gatewayUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: user.username, password: user.password }),
  });
  if (res.status !== 200) throw new Error(`login ${user.username}: ${res.status} ${await res.text()}`);
  user.accessToken = ((await res.json()) as { accessToken: string }).accessToken;
}

async function watch(ctx: BenchContext, user: BenchUser, number: string): Promise<void> {
  const res = await fetch(`${ctx.stack.gatewayUrl}/api/v1/tracking/watchlist`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${user.accessToken}` },
    body: JSON.stringify({ trackingNumber: number }),
  });
  if (res.status >= 300) throw new Error(`watch ${number}: ${res.status} ${await res.text()}`);
}

async function inParallel<T>(items: readonly T[], concurrency: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

export async function arrivalToEmailScenario(ctx: BenchContext): Promise<void> {
  const { arrivalRate: rate, arrivalDurationS: durationS } = ctx.config;
  const users = registeredUsers.length ? registeredUsers : await registerUsers(ctx, ctx.config.loginUsers);
  await inParallel(
    users.filter((u) => !u.accessToken),
    4,
    (u) => login(ctx, u),
  );
  // Each registration sends a verification email, and the contact projection is written from the
  // event before it: once those emails are in, notifications knows every user's address.
  const settle = Date.now() + 60_000;
  while ((await mailCount(ctx)) < users.length && Date.now() < settle) await sleep(250);
  await mailpit(ctx, 'DELETE', '/api/v1/messages');

  const count = rate * durationS;
  const numbers = Array.from({ length: count }, (_, i) => trackingNumber(4, i));
  const tWatch = performance.now();
  await inParallel(numbers, 8, (n, i) => watch(ctx, users[i % users.length], n));
  ctx.log(`arrival: ${count} parcels watched by ${users.length} users in ${seconds(performance.now() - tWatch)}`);

  ctx.log(`arrival: available_for_pickup scans at ${rate}/s for ${durationS} s…`);
  const producedAt = new Map<string, number>();
  // From the first scan to the last email (or the deadline): what the CPU did meanwhile.
  const messages = await ctx.profileCpu('arrival', async () => {
    const sends: Promise<unknown>[] = [];
    const t0 = Date.now();
    for (let i = 0; i < count; i++) {
      const due = t0 + (i * 1000) / rate;
      if (due > Date.now()) await sleep(due - Date.now());
      const now = Date.now();
      const data: ScanRecordedData = {
        eventId: randomUUID(),
        trackingNumber: numbers[i],
        code: 'available_for_pickup',
        occurredAt: new Date(now).toISOString(),
        facility: { name: 'DENVER MAIN POST OFFICE', city: 'DENVER', state: 'CO', zip: '80202' },
      };
      producedAt.set(numbers[i], now);
      sends.push(
        ctx.kafka.producer.send({
          topic: ctx.kafka.topic(Topics.PostalScans),
          messages: [envelopeMessage(scanEnvelope(data))],
        }),
      );
    }
    await Promise.all(sends);

    const deadline = Date.now() + 120_000;
    for (;;) {
      const found = (await allMessages(ctx)).filter((m) => SUBJECT.test(m.Subject));
      if (found.length >= count || Date.now() > deadline) return found;
      await sleep(1000);
    }
  });
  const perParcel = new Map<string, number>();
  const latencies: number[] = [];
  for (const m of messages) {
    const number = SUBJECT.exec(m.Subject)?.[1] ?? '';
    const sent = producedAt.get(number);
    if (sent === undefined) continue;
    perParcel.set(number, (perParcel.get(number) ?? 0) + 1);
    if (perParcel.get(number) === 1) latencies.push(Date.parse(m.Created) - sent);
  }
  const duplicates = [...perParcel.values()].reduce((sum, n) => sum + n - 1, 0);
  const missing = count - perParcel.size;
  ctx.log(`arrival: ${perParcel.size}/${count} emails, ${duplicates} duplicates; Kafka one-hop baseline…`);

  const hop = await kafkaHopLatency(ctx, rate, durationS);
  const note = `${count} scans at ${rate}/s; ${perParcel.size} emails received, ${missing} missing, ${duplicates} duplicates`;
  const baselineName = `Kafka produce -> consume, one hop, ${rate}/s, same broker`;
  ctx.results.add({
    metric: 'arrival_to_email_p99_ms',
    value: latencies.length ? percentile(latencies, 99) : null,
    unit: 'ms',
    baseline: baselineName,
    baselineValue: hop.p99,
    lowerIsBetter: true,
    goal: 'reported; gap explained',
    note,
  });
  ctx.results.add({
    metric: 'arrival_to_email_p50_ms',
    value: latencies.length ? percentile(latencies, 50) : null,
    unit: 'ms',
    baseline: baselineName,
    baselineValue: hop.p50,
    lowerIsBetter: true,
  });
}
