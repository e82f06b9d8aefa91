/** Kafka headers set on every published event and on dead-lettered messages. */
export const MessageHeaders = {
  EventId: 'x-event-id',
  EventType: 'x-event-type',
  EventVersion: 'x-event-version',
  CorrelationId: 'x-correlation-id',
  DlqReason: 'x-dlq-reason',
  OriginalTopic: 'x-original-topic',
  OriginalPartition: 'x-original-partition',
  OriginalOffset: 'x-original-offset',
} as const;

/** Header values as strings (kafkajs hands them over as Buffers). */
export function readHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first: unknown = Array.isArray(value) ? value[0] : value;
    if (Buffer.isBuffer(first)) out[name] = first.toString('utf8');
    else if (typeof first === 'string') out[name] = first;
  }
  return out;
}
