import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { splitByPartition } from './partition-sends';

describe('splitByPartition', () => {
  const meta = (n: number): PartitionMetadata[] =>
    Array.from({ length: n }, (_, partitionId) => ({
      partitionId,
      leader: 1,
      replicas: [],
      isr: [],
      partitionErrorCode: 0,
    }));

  it("puts every message on the partition kafkajs' default partitioner picks, one group per partition", () => {
    const keys = Array.from({ length: 40 }, (_, i) => `key-${i}`);
    const groups = splitByPartition(
      [{ topic: 't', messages: keys.map((key, i) => ({ key, value: String(i) })) }],
      () => 12,
    );
    const partitioner = Partitioners.DefaultPartitioner();
    expect(groups.length).toBeGreaterThan(1);
    for (const group of groups) {
      const partitions = new Set(group.messages.map((m) => m.partition));
      expect(partitions.size).toBe(1);
      for (const message of group.messages) {
        expect(message.partition).toBe(partitioner({ topic: 't', partitionMetadata: meta(12), message }));
      }
    }
    expect(groups.flatMap((g) => g.messages.map((m) => m.value))).toHaveLength(40);
  });

  it("keeps a key's messages in order, and topics apart", () => {
    const groups = splitByPartition(
      [
        { topic: 'a', messages: ['1', '2', '3'].map((value) => ({ key: 'k', value })) },
        { topic: 'b', messages: [{ key: 'k', value: '4' }] },
      ],
      (topic) => (topic === 'a' ? 3 : 6),
    );
    expect(groups.map((g) => [g.topic, g.messages.map((m) => m.value)])).toEqual([
      ['a', ['1', '2', '3']],
      ['b', ['4']],
    ]);
  });
});
