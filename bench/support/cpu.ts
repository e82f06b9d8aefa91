import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (100 on every common Linux build). */
const TICKS_PER_S = (() => {
  const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const value = Number(out.stdout?.trim());
  return Number.isFinite(value) && value > 0 ? value : 100;
})();

/**
 * CPU time (user + system, children excluded) a process has used so far, in ms; NaN once it is gone.
 * With `thread`, that thread's alone (`thread` = `pid`: a Node process's main thread, its event loop).
 */
export function cpuMs(pid: number, thread?: number): number {
  try {
    const stat = fs.readFileSync(
      thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`,
      'utf8',
    );
    // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / TICKS_PER_S;
  } catch {
    return Number.NaN;
  }
}

/** Where the CPU went while something ran: percent of one core per process, highest first. */
export interface CpuShares {
  wallMs: number;
  shares: { name: string; percent: number }[];
  /**
   * The same processes' main threads alone (for a Node app its event loop: the rest of its CPU is libuv's
   * pool, where argon2 hashes, and V8's GC and compiler threads). Part of `shares`, not beside them.
   */
  mainThreads: { name: string; percent: number }[];
}

/** Samples the named processes before and after `fn`. */
export async function measureCpu<T>(
  processes: () => Record<string, number>,
  fn: () => Promise<T>,
): Promise<{ result: T; cpu: CpuShares }> {
  const before = Object.entries(processes()).map(([name, pid]) => ({
    name,
    pid,
    ms: cpuMs(pid),
    mainMs: cpuMs(pid, pid),
  }));
  const t0 = performance.now();
  const result = await fn();
  const wallMs = performance.now() - t0;
  const percentOf = (rows: { name: string; used: number }[]) =>
    rows
      .map(({ name, used }) => ({ name, percent: (used / wallMs) * 100 }))
      .filter((s) => Number.isFinite(s.percent))
      .sort((a, b) => b.percent - a.percent);
  const shares = percentOf(before.map(({ name, pid, ms }) => ({ name, used: cpuMs(pid) - ms })));
  const mainThreads = percentOf(before.map(({ name, pid, mainMs }) => ({ name, used: cpuMs(pid, pid) - mainMs })));
  return { result, cpu: { wallMs, shares, mainThreads } };
}

export function describeCpu(cpu: CpuShares): string {
  return cpu.shares
    .filter((s) => s.percent >= 1)
    .map((s) => `${s.name} ${Math.round(s.percent)} %`)
    .join(', ');
}
