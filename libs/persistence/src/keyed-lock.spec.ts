import { KeyedLock } from './keyed-lock';

const tick = () => new Promise((resolve) => setImmediate(resolve));

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('KeyedLock', () => {
  it('runs holders of one key one after another, in arrival order', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const first = gate();
    const a = lock.runExclusive(['k'], async () => {
      log.push('a start');
      await first.opened;
      log.push('a end');
    });
    const b = lock.runExclusive(['k'], () => Promise.resolve(void log.push('b')));
    await tick();
    expect(log).toEqual(['a start']);
    first.open();
    await Promise.all([a, b]);
    expect(log).toEqual(['a start', 'a end', 'b']);
  });

  it('lets holders of different keys run at once', async () => {
    const lock = new KeyedLock();
    const held = gate();
    const a = lock.runExclusive(['k1'], () => held.opened);
    await expect(lock.runExclusive(['k2'], () => Promise.resolve('ran'))).resolves.toBe('ran');
    held.open();
    await a;
  });

  it('does not deadlock on overlapping key sets taken in different orders', async () => {
    const lock = new KeyedLock();
    const results = await Promise.all([
      lock.runExclusive(['x', 'y'], async () => (await tick(), 'xy')),
      lock.runExclusive(['y', 'x'], async () => (await tick(), 'yx')),
    ]);
    expect(results).toEqual(['xy', 'yx']);
  });

  it('releases the key when the holder throws', async () => {
    const lock = new KeyedLock();
    await expect(lock.runExclusive(['k'], () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.runExclusive(['k'], () => Promise.resolve('next'))).resolves.toBe('next');
  });
});
