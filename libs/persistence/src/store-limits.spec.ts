import { chunks, findByIds, StoreWriteGate } from './store-limits';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('findByIds', () => {
  function fakeCollection(ids: string[]) {
    const filters: unknown[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    return {
      filters,
      maxInFlight: () => maxInFlight,
      async findOne(filter: { _id: unknown }) {
        filters.push(filter);
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await tick();
        inFlight -= 1;
        return ids.includes(filter._id as string) ? { _id: filter._id as string } : null;
      },
    };
  }

  it('reads each id with an exact _id filter, the only one FerretDB serves from its index', async () => {
    const collection = fakeCollection(['a', 'b']);
    await findByIds(collection, ['a', 'b']);
    expect(collection.filters).toEqual([{ _id: 'a' }, { _id: 'b' }]);
  });

  it('leaves out missing documents and reads a repeated id once', async () => {
    const collection = fakeCollection(['a', 'c']);
    const docs = await findByIds<{ _id: string }>(collection, ['a', 'b', 'c', 'a']);
    expect(docs.map((d) => d._id).sort()).toEqual(['a', 'c']);
    expect(collection.filters).toHaveLength(3);
  });

  it('keeps at most `concurrency` reads in flight', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `p${i}`);
    const collection = fakeCollection(ids);
    const docs = await findByIds(collection, ids, { concurrency: 5 });
    expect(docs).toHaveLength(40);
    expect(collection.maxInFlight()).toBe(5);
  });
});

describe('StoreWriteGate', () => {
  it('runs one write command at a time and passes results through', async () => {
    const gate = new StoreWriteGate();
    let inFlight = 0;
    let maxInFlight = 0;
    const command = async (n: number) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await tick();
      inFlight -= 1;
      return n * 2;
    };
    const results = await Promise.all([1, 2, 3].map((n) => gate.run(() => command(n))));
    expect(results).toEqual([2, 4, 6]);
    expect(maxInFlight).toBe(1);
  });

  it('frees the slot when a command fails', async () => {
    const gate = new StoreWriteGate();
    await expect(gate.run(() => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await expect(gate.run(() => Promise.resolve('next'))).resolves.toBe('next');
  });
});

describe('chunks', () => {
  it('splits into consecutive slices of at most the size', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});
