import mongoose, { type Connection } from 'mongoose';

/**
 * The child side of `raceInProcesses`: prepares (connections, documents), says READY, waits for GO
 * on stdin, runs the work and prints its result as one JSON line, then exits. Kept apart from the
 * package index so a child loads no infrastructure launcher.
 */
export function raceChild<S, R>(prepare: () => Promise<S>, work: (state: S) => Promise<R>): void {
  const main = async (): Promise<void> => {
    const state = await prepare();
    const go = new Promise<void>((resolve) => {
      let input = '';
      process.stdin.on('data', (chunk: Buffer) => {
        input += chunk.toString('utf8');
        if (input.includes('GO\n')) resolve();
      });
    });
    process.stdout.write('READY\n');
    await go;
    const result = await work(state);
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
    process.exit(0);
  };
  main().catch((error: unknown) => {
    process.stderr.write(
      `race child failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}

/** A required environment variable of a race child. */
export function childEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

/** The race child's own connection to the database the test named (MONGO_URL, RACE_DB). */
export function raceConnection(): Promise<Connection> {
  return mongoose.createConnection(childEnv('MONGO_URL'), { dbName: childEnv('RACE_DB') }).asPromise();
}

/** Resolves at `at` (epoch ms), at once when that is past: children line their writes up in time slots. */
export function sleepUntil(at: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
}
