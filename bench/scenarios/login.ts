import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import pLimit from 'p-limit';
import { ARGON2_MAX_CONCURRENCY, ARGON2_OPTIONS } from '../../apps/auth/src/passwords/password-hasher';
import type { BenchContext } from '../support/context';
import { seconds } from '../support/context';
import type { CpuShares } from '../support/cpu';
import { postJson } from '../support/json-client';
import { percentile } from '../support/results';

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

export interface BenchUser {
  username: string;
  password: string;
  email: string;
  accessToken?: string;
}

export const EMAIL_DOMAIN = 'bench.example.com';

/** Runs `worker` on `concurrency` loops until `durationMs` passed; returns each call's latency. */
async function closedLoop(
  concurrency: number,
  durationMs: number,
  worker: (slot: number, i: number) => Promise<boolean>,
): Promise<{ ok: number; failed: number; latencies: number[]; ms: number }> {
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  const t0 = performance.now();
  const end = t0 + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, slot) => {
      for (let i = 0; performance.now() < end; i++) {
        const started = performance.now();
        const success = await worker(slot, i);
        latencies.push(performance.now() - started);
        if (success) ok++;
        else failed++;
      }
    }),
  );
  return { ok, failed, latencies, ms: performance.now() - t0 };
}

export async function registerUsers(ctx: BenchContext, count: number): Promise<BenchUser[]> {
  const runId = randomBytes(3).toString('hex');
  const users: BenchUser[] = Array.from({ length: count }, (_, i) => ({
    username: `bench_${runId}_${i}`,
    password: `Lantern-${randomBytes(6).toString('base64url')}-Parcel-${i}!`,
    email: `bench.${runId}.${i}@${EMAIL_DOMAIN}`,
  }));
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < users.length) {
        const user = users[next++];
        const { status, json } = await postJson(`${ctx.stack.gatewayUrl}/api/v1/auth/register`, {
          username: user.username,
          password: user.password,
          email: user.email,
          firstName: 'Bench',
          lastName: 'User',
          accountType: 'personal',
          address: { line1: '1 Main St', city: 'Chicago', state: 'IL', zip: '60601' },
        });
        if (status !== 201) throw new Error(`register ${user.username}: ${status} ${JSON.stringify(json)}`);
      }
    }),
  );
  ctx.log(`registered ${count} users in ${seconds(performance.now() - t0)}`);
  return users;
}

export let registeredUsers: BenchUser[] = [];

export async function loginScenario(ctx: BenchContext): Promise<void> {
  const { loginConcurrency: concurrency, loginDurationS } = ctx.config;
  const users = await registerUsers(ctx, Math.max(ctx.config.loginUsers, concurrency));
  registeredUsers = users;
  const url = `${ctx.stack.gatewayUrl}/api/v1/auth/login`;
  const statuses = new Map<number, number>();
  ctx.log(`login: ${concurrency} in flight for ${loginDurationS} s through the gateway…`);
  // Each slot logs in its own users in turn: spreading logins over many usernames, as real traffic does.
  let portalCpu: CpuShares | undefined;
  const portal = await ctx.profileCpu(
    'login',
    () =>
      closedLoop(concurrency, loginDurationS * 1000, async (slot, i) => {
        const user = users[(slot + i * concurrency) % users.length];
        const { status, json } = await postJson(url, { username: user.username, password: user.password });
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status === 200) user.accessToken = (json as { accessToken: string }).accessToken;
        return status === 200;
      }),
    (cpu) => (portalCpu = cpu),
  );

  const hash = await argon2.hash(users[0].password, ARGON2_OPTIONS);
  ctx.log(`login: argon2id verifies, ${concurrency} in flight, no HTTP…`);
  const bareCpu = process.cpuUsage();
  const bare = await closedLoop(concurrency, loginDurationS * 1000, () => argon2.verify(hash, users[0].password));
  const bareCpuMs = cpuMsSince(bareCpu);

  // The same verifies, at most as many at once as auth runs (one per core; the loop above lets libuv's four
  // threads hash at once). Alike on an idle machine; while other processes load it, four threads get a
  // larger share of the cores than two, and this row shows how much of the gap that is.
  ctx.log(`login: argon2id verifies, ${concurrency} in flight, ${ARGON2_MAX_CONCURRENCY} at once (as auth), no HTTP…`);
  const limit = pLimit(ARGON2_MAX_CONCURRENCY);
  const cappedCpu = process.cpuUsage();
  const capped = await closedLoop(concurrency, loginDurationS * 1000, () =>
    limit(() => argon2.verify(hash, users[0].password)),
  );
  const cappedCpuMs = cpuMsSince(cappedCpu);

  const baselineName = `argon2id verify (m=${ARGON2_OPTIONS.memoryCost} KiB, t=${ARGON2_OPTIONS.timeCost}, p=${ARGON2_OPTIONS.parallelism}), ${concurrency} in flight, in process`;
  const summary = [...statuses].map(([s, n]) => `${n}×${s}`).join(', ');
  ctx.results.add({
    metric: 'login_per_s',
    value: portal.ok / (portal.ms / 1000),
    unit: 'logins/s',
    baseline: baselineName,
    baselineValue: bare.ok / (bare.ms / 1000),
    goal: 'ratio >= 0.8',
    note: `${concurrency} concurrent, ${loginDurationS} s, ${users.length} users; statuses ${summary}`,
  });
  ctx.results.add({
    metric: 'login_p95_ms',
    value: percentile(portal.latencies, 95),
    unit: 'ms',
    baseline: baselineName,
    baselineValue: percentile(bare.latencies, 95),
    lowerIsBetter: true,
    goal: 'reported',
  });
  ctx.results.add({
    metric: 'login_per_s_vs_argon2_as_auth_runs_it',
    value: portal.ok / (portal.ms / 1000),
    unit: 'logins/s',
    baseline: `${baselineName}, ${ARGON2_MAX_CONCURRENCY} at once`,
    baselineValue: capped.ok / (capped.ms / 1000),
    goal: 'reported',
  });
  // CPU per login, process by process, beside what one verify costs in the same run (this process's CPU
  // over the capped loop, as auth hashes): on a machine shared with other work the rates move with its
  // load, the CPU a login takes much less; what a login costs beyond its hash is what the portal adds.
  const argon2Ms = capped.ok > 0 ? cappedCpuMs / capped.ok : null;
  ctx.results.add({
    metric: 'login_argon2_cpu_ms_per_verify',
    value: argon2Ms,
    unit: 'ms CPU',
    note: `8 in flight, libuv's 4 threads: ${bare.ok > 0 ? (bareCpuMs / bare.ok).toFixed(1) : 'n/a'} ms`,
    goal: 'reported',
  });
  if (portalCpu && portal.ok > 0) {
    const perLogin = (percent: number) => ((percent / 100) * portalCpu!.wallMs) / portal.ok;
    let total = 0;
    for (const share of portalCpu.shares) {
      total += perLogin(share.percent);
      if (share.percent < 1) continue;
      ctx.results.add({
        metric: `login_cpu_ms_${share.name}`,
        value: perLogin(share.percent),
        unit: 'ms CPU per login',
      });
    }
    // The apps' event loops apart from their other threads (libuv's pool, where auth hashes; V8's GC and compiler).
    for (const thread of portalCpu.mainThreads.filter((t) => t.name === 'auth' || t.name === 'gateway')) {
      ctx.results.add({
        metric: `login_cpu_ms_${thread.name}_main_thread`,
        value: perLogin(thread.percent),
        unit: 'ms CPU per login',
        note: `part of login_cpu_ms_${thread.name}: its event loop alone`,
      });
    }
    ctx.results.add({
      metric: 'login_cpu_ms_total',
      value: total,
      unit: 'ms CPU per login',
      baseline: 'argon2id verify CPU, 2 at once, same run',
      baselineValue: argon2Ms,
      lowerIsBetter: true,
      note: 'every process of the run, the idle ones (Kafka, the other apps) included',
      goal: 'reported',
    });
  }
  if (portal.failed > 0) ctx.log(`login: ${portal.failed} failed logins (${summary})`);
}
