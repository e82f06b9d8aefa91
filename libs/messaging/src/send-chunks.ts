import type { Message, TopicMessages } from 'kafkajs';

/**
 * Bounds of one producer send. The broker rejects a partition's record batch over
 * `message.max.bytes` (1 MiB by default), so a send stays well under it whatever the partitioning.
 */
export interface SendLimits {
  maxMessages: number;
  maxBytes: number;
}

export const SEND_LIMITS: SendLimits = { maxMessages: 500, maxBytes: 512 * 1024 };

// Record framing (lengths, offsets, timestamps, attributes) on top of key, value and headers.
const RECORD_OVERHEAD_BYTES = 32;

/** Approximate size of a message on the wire: key + value + headers + record framing. */
export function messageBytes(message: Message): number {
  let bytes = RECORD_OVERHEAD_BYTES + byteLength(message.key) + byteLength(message.value);
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    bytes += Buffer.byteLength(name);
    for (const item of Array.isArray(value) ? value : [value]) bytes += byteLength(item);
  }
  return bytes;
}

/**
 * Splits messages (in publish order) into consecutive sends of at most `maxMessages` messages and
 * `maxBytes` bytes; a single message over `maxBytes` goes alone (the broker decides on it). Each send
 * groups its messages by topic keeping their order, so sending the chunks one after another keeps
 * the order of every key.
 */
export function chunkMessages(
  items: readonly { topic: string; message: Message }[],
  limits: SendLimits = SEND_LIMITS,
): TopicMessages[][] {
  const sends: TopicMessages[][] = [];
  let current = new Map<string, Message[]>();
  let count = 0;
  let bytes = 0;
  const close = (): void => {
    if (count === 0) return;
    sends.push([...current].map(([topic, messages]) => ({ topic, messages })));
    current = new Map();
    count = 0;
    bytes = 0;
  };
  for (const { topic, message } of items) {
    const size = messageBytes(message);
    if (count >= limits.maxMessages || (count > 0 && bytes + size > limits.maxBytes)) close();
    const messages = current.get(topic) ?? [];
    messages.push(message);
    current.set(topic, messages);
    count += 1;
    bytes += size;
  }
  close();
  return sends;
}

function byteLength(value: Buffer | string | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}
