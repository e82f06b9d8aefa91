/**
 * Runs `work` over items so that items sharing a key run one after another, in order, while
 * different keys run concurrently (at most `concurrency` keys at a time). When `work` returns
 * false the rest of that key is skipped (the consumer is stopping; they will be redelivered).
 */
export async function runByKey<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  work: (item: T) => Promise<boolean>,
  concurrency: number,
): Promise<void> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  const queue = [...groups.values()];
  const runLane = async (): Promise<void> => {
    for (let group = queue.shift(); group; group = queue.shift()) {
      for (const item of group) {
        if (!(await work(item))) break;
      }
    }
  };
  const lanes = Math.max(1, Math.min(concurrency, queue.length));
  await Promise.all(Array.from({ length: lanes }, runLane));
}

/**
 * Tracks which messages of a partition batch are done and resolves offsets only over the
 * contiguous done prefix, so a committed offset never skips a message still in progress.
 */
export class OffsetTracker {
  private readonly done: boolean[];
  private next = 0;

  constructor(
    private readonly offsets: readonly string[],
    private readonly resolve: (offset: string) => void,
  ) {
    this.done = offsets.map(() => false);
  }

  markDone(index: number): void {
    this.done[index] = true;
    while (this.next < this.offsets.length && this.done[this.next]) {
      this.resolve(this.offsets[this.next]);
      this.next += 1;
    }
  }

  get allDone(): boolean {
    return this.next === this.offsets.length;
  }
}
