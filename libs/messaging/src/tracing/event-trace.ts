import type { EventEnvelope } from '@app/contracts';
import {
  contextFromTraceparent,
  CORRELATION_ID_ATTRIBUTE,
  currentTraceparent,
  inSpan,
  linkTo,
  SpanKind,
  startSpan,
} from '@app/platform';
import type { IHeaders } from 'kafkajs';

/** The W3C header that carries an event's trace context in Kafka. */
export const TRACEPARENT_HEADER = 'traceparent';

/**
 * The span that caused each event in hand, by envelope object: set by the relay from the outbox
 * entry (the write that stored it) and by the consumer (the span that processed it). A WeakMap, so
 * an envelope's trace goes when the envelope does.
 */
const causes = new WeakMap<object, string>();

/** Records what caused `envelope` (a W3C traceparent); nothing is recorded when nothing was traced. */
export function setEventCause(envelope: object, traceparent: string | undefined): void {
  if (traceparent) causes.set(envelope, traceparent);
}

/** The traceparent recorded for `envelope`, if any. */
export function eventCause(envelope: object): string | undefined {
  return causes.get(envelope);
}

function eventAttributes(topic: string, envelope: EventEnvelope) {
  return {
    'messaging.system': 'kafka',
    'messaging.destination.name': topic,
    'messaging.message.id': envelope.id,
    'messaging.kafka.message.key': envelope.key,
    'portal.event.type': envelope.type,
    [CORRELATION_ID_ATTRIBUTE]: envelope.correlationId,
  };
}

/**
 * Opens the PRODUCER span of one event (child of what caused it: the outbox writer's span when the
 * relay publishes, else the current span) and puts its traceparent in the message headers.
 * The kafkajs instrumentation injects the one context active at send time into every message of a
 * batch, which for a relay batch is none of the writers': so the header is made to keep our value.
 * Returns the function that ends the span once the send settled.
 */
export function tracePublish(topic: string, envelope: EventEnvelope, headers: IHeaders): (error?: unknown) => void {
  const cause = eventCause(envelope);
  const span = startSpan(`publish ${topic} ${envelope.type}`, {
    kind: SpanKind.PRODUCER,
    parent: cause ? contextFromTraceparent(cause) : undefined,
    attributes: { ...eventAttributes(topic, envelope), 'messaging.operation.type': 'send' },
  });
  const traceparent = span.traceparent;
  if (traceparent) {
    Object.defineProperty(headers, TRACEPARENT_HEADER, {
      enumerable: true,
      get: () => traceparent,
      set: () => undefined,
    });
  }
  return span.end;
}

/**
 * Runs the processing of one consumed event inside a CONSUMER span whose parent is the span that
 * published it (the message's traceparent), and records that span as the event's cause, so what
 * the handler stores in an outbox joins the same trace.
 */
export function inConsumeSpan<T>(
  topic: string,
  envelope: EventEnvelope,
  headers: Record<string, string>,
  fn: () => Promise<T>,
): Promise<T> {
  const traceparent = headers[TRACEPARENT_HEADER];
  return inSpan(
    `process ${topic} ${envelope.type}`,
    {
      kind: SpanKind.CONSUMER,
      parent: traceparent ? contextFromTraceparent(traceparent) : undefined,
      attributes: { ...eventAttributes(topic, envelope), 'messaging.operation.type': 'process' },
    },
    () => {
      setEventCause(envelope, currentTraceparent());
      return fn();
    },
  );
}

/**
 * A batch handled in one call: one CONSUMER span per event (child of its publisher, recorded as its
 * cause so a batch handler can attribute what each event stores), and the handler itself inside a
 * batch span linked to each of them. A batch of one runs inside its event's span.
 */
export async function inConsumeBatchSpans<T>(
  topic: string,
  items: readonly { envelope: EventEnvelope; headers: Record<string, string> }[],
  fn: () => Promise<T>,
): Promise<T> {
  if (items.length === 1) return inConsumeSpan(topic, items[0].envelope, items[0].headers, fn);
  const spans = items.map(({ envelope, headers }) => {
    const traceparent = headers[TRACEPARENT_HEADER];
    const span = startSpan(`process ${topic} ${envelope.type}`, {
      kind: SpanKind.CONSUMER,
      parent: traceparent ? contextFromTraceparent(traceparent) : undefined,
      attributes: { ...eventAttributes(topic, envelope), 'messaging.operation.type': 'process' },
    });
    setEventCause(envelope, span.traceparent);
    return span;
  });
  const links = spans.flatMap((s) => {
    const link = linkTo(s.traceparent);
    return link ? [link] : [];
  });
  let failure: unknown;
  try {
    return await inSpan(
      `process ${topic} batch`,
      { kind: SpanKind.CONSUMER, links, attributes: { 'messaging.batch.message_count': items.length } },
      fn,
    );
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    for (const span of spans) span.end(failure);
  }
}
