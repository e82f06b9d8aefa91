import { OffsetTracker, runByKey } from './keyed-runner';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('runByKey', () => {
  it('keeps the order of items that share a key', async () => {
    const seen: string[] = [];
    const items = ['a1', 'b1', 'a2', 'b2', 'a3'];
    await runByKey(
      items,
      (i) => i[0],
      async (i) => {
        await tick();
        seen.push(i);
        return true;
      },
      4,
    );
    expect(seen.filter((i) => i.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    expect(seen.filter((i) => i.startsWith('b'))).toEqual(['b1', 'b2']);
  });

  it('runs different keys concurrently, up to the limit', async () => {
    let inFlight = 0;
    let peak = 0;
    await runByKey(
      ['a', 'b', 'c', 'd', 'e'],
      (i) => i,
      async () => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await tick();
        inFlight -= 1;
        return true;
      },
      3,
    );
    expect(peak).toBe(3);
  });

  it('never runs two items of one key at the same time', async () => {
    const active = new Set<string>();
    let overlap = false;
    await runByKey(
      ['k1', 'k1', 'k1', 'k2'],
      (i) => i,
      async (i) => {
        if (active.has(i)) overlap = true;
        active.add(i);
        await tick();
        active.delete(i);
        return true;
      },
      8,
    );
    expect(overlap).toBe(false);
  });

  it('skips the rest of a key once work says stop', async () => {
    const seen: string[] = [];
    await runByKey(
      ['a1', 'a2', 'b1'],
      (i) => i[0],
      (i) => {
        seen.push(i);
        return Promise.resolve(i !== 'a1');
      },
      1,
    );
    expect(seen).toEqual(['a1', 'b1']);
  });
});

describe('OffsetTracker', () => {
  it('resolves only the contiguous done prefix', () => {
    const resolved: string[] = [];
    const tracker = new OffsetTracker(['10', '11', '12'], (o) => resolved.push(o));
    tracker.markDone(1);
    expect(resolved).toEqual([]);
    tracker.markDone(0);
    expect(resolved).toEqual(['10', '11']);
    expect(tracker.allDone).toBe(false);
    tracker.markDone(2);
    expect(resolved).toEqual(['10', '11', '12']);
    expect(tracker.allDone).toBe(true);
  });
});
