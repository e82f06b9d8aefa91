import * as fs from 'node:fs';
import * as path from 'node:path';

/** The parts of a V8 `.cpuprofile` (written by `node --cpu-prof`) that a summary needs. */
interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    hitCount?: number;
  }[];
  /** µs on the monotonic clock (the one `process.hrtime` reads), so a window taken in the bench applies */
  startTime: number;
  endTime: number;
  /** the node of each sample, and the µs since the previous one */
  samples?: number[];
  timeDeltas?: number[];
}

/** A part of the run, in µs of the monotonic clock (`process.hrtime.bigint() / 1000n`). */
export interface ProfileWindow {
  label: string;
  fromUs: number;
  toUs: number;
}

/** The monotonic clock in µs, as V8 stamps its samples. */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export interface ProfileSummary {
  file: string;
  /** the scenario window the samples were taken from; absent for the whole life */
  window?: string;
  /** wall time covered (the window's, or the profile's), in ms */
  wallMs: number;
  /** sampled time, idle excluded, in ms */
  busyMs: number;
  /** self time by function, highest first (percent of busy time) */
  frames: { frame: string; percent: number }[];
  /** self time by where the code comes from: a package, Node's internals, the app, V8 (GC, program) */
  origins: { origin: string; percent: number }[];
}

/** `node_modules/<pkg>` (scoped too), `node:internal`, `app` or the V8 pseudo-frame's name. */
function originOf(url: string, functionName: string): string {
  // V8's pseudo-frames keep their names; other frames without a script are C++ bindings (socket writes, fs).
  if (url === '') return functionName.startsWith('(') ? functionName : 'native bindings';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return 'node (internals)';
  return 'app (dist)';
}

function frameName(frame: CpuProfile['nodes'][number]['callFrame']): string {
  const where = frame.url
    ? ` ${frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${frame.lineNumber + 1}`
    : '';
  return `${frame.functionName || '(anonymous)'}${where}`;
}

/** Samples per node: all of them, or those stamped inside `window`. */
function hitsPerNode(profile: CpuProfile, window?: ProfileWindow): Map<number, number> {
  const hits = new Map<number, number>();
  if (!window || !profile.samples || !profile.timeDeltas) {
    for (const node of profile.nodes) hits.set(node.id, node.hitCount ?? 0);
    return hits;
  }
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas![i] ?? 0;
    if (at >= window.fromUs && at < window.toUs) hits.set(id, (hits.get(id) ?? 0) + 1);
  });
  return hits;
}

/**
 * Self time per function and per origin, from sample counts (every sample is one interval), over the
 * process's whole life or only inside `window` (a scenario's measured part: start-up and loading left out).
 */
export function summariseProfile(file: string, top = 12, window?: ProfileWindow): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const perNode = hitsPerNode(profile, window);
  const allHits = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0);
  const msPerHit = allHits > 0 ? (profile.endTime - profile.startTime) / 1000 / allHits : 0;
  const wallMs = window
    ? (Math.min(window.toUs, profile.endTime) - Math.max(window.fromUs, profile.startTime)) / 1000
    : (profile.endTime - profile.startTime) / 1000;
  const byFrame = new Map<string, number>();
  const byOrigin = new Map<string, number>();
  let busy = 0;
  for (const node of profile.nodes) {
    const hits = perNode.get(node.id) ?? 0;
    if (hits === 0 || node.callFrame.functionName === '(idle)') continue;
    busy += hits;
    const frame = frameName(node.callFrame);
    byFrame.set(frame, (byFrame.get(frame) ?? 0) + hits);
    const origin = originOf(node.callFrame.url, node.callFrame.functionName);
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + hits);
  }
  const ranked = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, hits]) => ({ name, percent: Number(((hits / Math.max(busy, 1)) * 100).toFixed(1)) }));
  return {
    file,
    ...(window ? { window: window.label } : {}),
    wallMs: Math.round(wallMs),
    busyMs: Math.round(busy * msPerHit),
    frames: ranked(byFrame).map(({ name, percent }) => ({ frame: name, percent })),
    origins: ranked(byOrigin).map(({ name, percent }) => ({ origin: name, percent })),
  };
}

/**
 * Summaries of every profile in a run's log folder (instances write them when they exit): the whole
 * life, then each window (scenario) apart.
 */
export function summariseProfiles(dir: string, windows: readonly ProfileWindow[] = []): ProfileSummary[] {
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  } catch {
    return [];
  }
  return files
    .sort()
    .flatMap((f) => [
      summariseProfile(path.join(dir, f)),
      ...windows.map((w) => summariseProfile(path.join(dir, f), 12, w)),
    ]);
}

export function describeProfile(summary: ProfileSummary): string {
  const lines = [
    `${path.basename(summary.file)}${summary.window ? ` during ${summary.window}` : ''}: ${(summary.busyMs / 1000).toFixed(1)} s busy of ${(summary.wallMs / 1000).toFixed(1)} s (main thread; libuv's pool, argon2 among it, is not sampled)`,
    `  by origin: ${summary.origins.map((o) => `${o.origin} ${o.percent} %`).join(', ')}`,
    '  top frames (self time):',
    ...summary.frames.map((f) => `    ${f.percent.toFixed(1).padStart(5)} %  ${f.frame}`),
  ];
  return lines.join('\n');
}
