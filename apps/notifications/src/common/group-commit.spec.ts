import { GroupCommit } from './group-commit';

describe('GroupCommit', () => {
  it('sends the calls of one turn in one command, and the calls made during it in the next', async () => {
    const commands: number[][] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const group = new GroupCommit<number, number>(
      async (items) => {
        commands.push(items);
        if (commands.length === 1) await held;
        return items.map((i) => i * 10);
      },
      { maxBatch: 100, maxInFlight: 1 },
    );
    const first = [1, 2, 3].map((i) => group.submit(i));
    await new Promise((resolve) => setImmediate(resolve));
    // The first command is in flight: these wait for it, then go together.
    const second = [4, 5].map((i) => group.submit(i));
    await new Promise((resolve) => setImmediate(resolve));
    expect(commands).toEqual([[1, 2, 3]]);
    release();
    await expect(Promise.all(first)).resolves.toEqual([10, 20, 30]);
    await expect(Promise.all(second)).resolves.toEqual([40, 50]);
    expect(commands).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('resolves no call before its own command, and rejects every call of a failed command', async () => {
    const group = new GroupCommit<string, string>(
      (items) => (items.includes('bad') ? Promise.reject(new Error('store down')) : Promise.resolve(items)),
      { maxBatch: 2, maxInFlight: 1 },
    );
    const results = await Promise.allSettled(['a', 'bad', 'c'].map((i) => group.submit(i)));
    // maxBatch 2: ['a', 'bad'] failed together, ['c'] went alone.
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect((results[0] as PromiseRejectedResult).reason).toEqual(new Error('store down'));
    await group.idle();
  });
});
