import { Partitioners, type PartitionMetadata, type TopicMessages } from 'kafkajs';

/**
 * Splits a send into one send per (topic, partition), each message given the partition kafkajs'
 * DefaultPartitioner would pick for its key (murmur2 of the key over `partitions` of its topic).
 *
 * Why: kafkajs 2.2.4 sends a multi-partition batch as one request per leader broker and, when some
 * brokers answered and another failed, retries only "brokers without a response". If a failed
 * partition's new leader is a broker that already answered (the leader moved there), its messages
 * are never resent and the send still resolves: acknowledged, and lost. The replicated-Kafka fault
 * test saw exactly that (the leader killed -9: the share of one partition of a 20-message batch
 * missing from the topic after an ack). A send that targets one partition has one leader at a time,
 * so it is either answered for all its messages or retried whole.
 */
export function splitByPartition(
  topicMessages: readonly TopicMessages[],
  partitionsOf: (topic: string) => number,
): TopicMessages[] {
  const partitioner = Partitioners.DefaultPartitioner();
  const groups = new Map<string, TopicMessages>();
  for (const { topic, messages } of topicMessages) {
    const count = partitionsOf(topic);
    const partitionMetadata: PartitionMetadata[] = Array.from({ length: count }, (_, partitionId) => ({
      partitionId,
      leader: 0,
      replicas: [],
      isr: [],
      partitionErrorCode: 0,
    }));
    for (const message of messages) {
      const partition = message.partition ?? partitioner({ topic, partitionMetadata, message });
      const id = `${topic}\u0000${partition}`;
      let group = groups.get(id);
      if (!group) {
        group = { topic, messages: [] };
        groups.set(id, group);
      }
      group.messages.push({ ...message, partition });
    }
  }
  return [...groups.values()];
}
