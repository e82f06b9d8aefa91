import type { Message } from 'kafkajs';
import { chunkMessages, messageBytes } from './send-chunks';

const message = (id: number, valueBytes = 10, key = `k${id % 3}`): Message => ({
  key,
  value: 'v'.repeat(valueBytes),
  headers: { 'x-event-id': `e${id}` },
});

const flatIds = (sends: ReturnType<typeof chunkMessages>) =>
  sends.map((send) => send.flatMap((t) => t.messages.map((m) => (m.headers?.['x-event-id'] as string) ?? '')));

describe('chunkMessages', () => {
  it('counts key, value and headers in the size of a message', () => {
    const bare = messageBytes({ key: null, value: null });
    expect(messageBytes({ key: 'abc', value: Buffer.alloc(100), headers: { h: 'xy' } })).toBe(bare + 3 + 100 + 1 + 2);
  });

  it('keeps a small batch in a single send', () => {
    const items = [1, 2, 3].map((i) => ({ topic: 't', message: message(i) }));
    expect(flatIds(chunkMessages(items, { maxMessages: 10, maxBytes: 10_000 }))).toEqual([['e1', 'e2', 'e3']]);
  });

  it('splits by message count, keeping the publish order across sends', () => {
    const items = Array.from({ length: 7 }, (_, i) => ({ topic: 't', message: message(i) }));
    expect(flatIds(chunkMessages(items, { maxMessages: 3, maxBytes: 1_000_000 }))).toEqual([
      ['e0', 'e1', 'e2'],
      ['e3', 'e4', 'e5'],
      ['e6'],
    ]);
  });

  it('splits by serialized size so that no send exceeds the byte limit', () => {
    const items = Array.from({ length: 20 }, (_, i) => ({ topic: 't', message: message(i, 1_000) }));
    const limit = 3 * messageBytes(items[19].message);
    const sends = chunkMessages(items, { maxMessages: 500, maxBytes: limit });
    expect(sends).toHaveLength(7);
    for (const send of sends) {
      const bytes = send.flatMap((t) => t.messages).reduce((n, m) => n + messageBytes(m), 0);
      expect(bytes).toBeLessThanOrEqual(limit);
    }
    expect(flatIds(sends).flat()).toEqual(items.map((_, i) => `e${i}`));
  });

  it('sends a single message larger than the limit alone', () => {
    const items = [
      { topic: 't', message: message(1, 10) },
      { topic: 't', message: message(2, 5_000) },
      { topic: 't', message: message(3, 10) },
    ];
    expect(flatIds(chunkMessages(items, { maxMessages: 500, maxBytes: 1_000 }))).toEqual([['e1'], ['e2'], ['e3']]);
  });

  it('groups a send by topic while keeping the order of each key', () => {
    const items = [
      { topic: 'a', message: message(1, 10, 'x') },
      { topic: 'b', message: message(2, 10, 'y') },
      { topic: 'a', message: message(3, 10, 'x') },
      { topic: 'b', message: message(4, 10, 'y') },
      { topic: 'a', message: message(5, 10, 'x') },
    ];
    const sends = chunkMessages(items, { maxMessages: 4, maxBytes: 1_000_000 });
    expect(sends.map((send) => send.map((t) => t.topic))).toEqual([['a', 'b'], ['a']]);
    expect(flatIds(sends)).toEqual([['e1', 'e3', 'e2', 'e4'], ['e5']]);
  });

  it('returns no send for no message', () => {
    expect(chunkMessages([])).toEqual([]);
  });
});
