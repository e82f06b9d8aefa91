import { spawn } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
/** Lets a child process run this repo's TypeScript (the @app/* aliases, transpiled on require). */
const TS_REGISTER = path.join(ROOT, 'libs', 'messaging', 'test', 'support', 'ts-register.js');

/**
 * Runs `script` (a TypeScript file calling `raceChild`) in one OS process per entry of `envs`, lets
 * them all start their work at the same moment (each says READY, then all are told GO), and answers
 * what each printed as its result. The children have their own driver connections: what they race
 * for is the store, as two service instances do.
 */
export async function raceInProcesses<R>(
  script: string,
  envs: readonly Record<string, string>[],
  timeoutMs = 120_000,
): Promise<R[]> {
  const children = envs.map((env) => {
    const child = spawn(process.execPath, ['-r', TS_REGISTER, script], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let buffer = '';
    let onReady!: () => void;
    const ready = new Promise<void>((resolve) => (onReady = resolve));
    const result = new Promise<R>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          if (line === 'READY') onReady();
          else if (line.startsWith('RESULT ')) resolve(JSON.parse(line.slice('RESULT '.length)) as R);
        }
      });
      child.once('exit', (code) => reject(new Error(`${path.basename(script)} exited with ${code} before its result`)));
    });
    return { child, ready, result };
  });
  const timer = setTimeout(() => children.forEach((c) => c.child.kill('SIGKILL')), timeoutMs);
  try {
    await Promise.race([Promise.all(children.map((c) => c.ready)), Promise.all(children.map((c) => c.result))]);
    for (const c of children) c.child.stdin.write('GO\n');
    return await Promise.all(children.map((c) => c.result));
  } finally {
    clearTimeout(timer);
    for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
  }
}

/**
 * Whether a race without its guard loses or resurrects an entry: `round` races once on its own key
 * and answers what the processes kept and what the store lists. A collision is a matter of timing,
 * so one round may pass without one (it did, once, in a full `npm test` run); up to `rounds` are run,
 * and the first that shows a difference ends it.
 */
export async function showsLostUpdate(
  rounds: number,
  round: (index: number) => Promise<{ kept: readonly string[]; listed: readonly string[] }>,
): Promise<boolean> {
  for (let index = 0; index < rounds; index++) {
    const { kept, listed } = await round(index);
    const same = kept.length === listed.length && kept.every((id, i) => id === listed[i]);
    if (!same) return true;
  }
  return false;
}
