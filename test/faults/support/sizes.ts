/** `FAULTS_FULL=1` runs the sizes of the reliability issue; the defaults fit the suite's time budget. */
export const FULL = process.env.FAULTS_FULL === '1';

/** A size from the environment (`name`), else the size in full mode, else the default. */
export function size(name: string, fallback: number, full: number = fallback): number {
  const raw = process.env[name];
  if (raw !== undefined && raw !== '') {
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
    return value;
  }
  return FULL ? full : fallback;
}

/** Prints one test's figures on one line, so a run's log reads as a table. */
export function report(test: string, figures: Record<string, unknown>): void {
  process.stdout.write(`[faults] ${test}: ${JSON.stringify(figures)}\n`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function randomInt(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

/** Rejects when `promise` takes longer than `ms`: a client call hung by a fault must not hang the suite. */
export function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
