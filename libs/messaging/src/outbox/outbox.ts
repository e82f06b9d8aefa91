import { type EventEnvelope, validateEvent } from '@app/contracts';
import { currentTraceparent } from '@app/platform';
import { Schema } from 'mongoose';
import { eventCause } from '../tracing/event-trace';

/** The field of an aggregate document that holds its not-yet-published events. */
export const OUTBOX_FIELD = 'outbox';

/**
 * The field a write sets (`true`) on a document of a collection pruned by the next write
 * (`OutboxRelay.watch`, `prunedByNextWrite`) when Redis refused to mark it pending: its entries are
 * kept by the next write and found by the relay's full pass. Internal: never in a view or an API answer.
 */
export const OUTBOX_UNMARKED_FIELD = 'outboxUnmarked';

/**
 * An event as its aggregate keeps it until the relay publishes it: the envelope and, when the write
 * was traced, the W3C traceparent of the span that wrote it (so the publish, however much later and
 * by whichever process, joins the trace of the request or event that caused it). The relay takes
 * the traceparent off before it publishes: it is not part of the envelope.
 */
export type OutboxEntry = EventEnvelope & { traceparent?: string };

/** What a document with an outbox looks like (add it to the aggregate's TypeScript type). */
export interface WithOutbox {
  outbox: EventEnvelope[];
}

/** Mongoose plugin: adds `outbox: EventEnvelope[]`, stored as plain objects. */
export function outboxPlugin(schema: Schema): void {
  schema.add({ [OUTBOX_FIELD]: { type: [Schema.Types.Mixed], default: [] } });
}

/**
 * Checks envelopes before they are stored: each must be a valid registered event (a bad one would
 * otherwise sit in the store forever) and its keys must be storable (FerretDB refuses keys with
 * '.' or a leading '$'). Returns plain copies, with the current trace context (or that of
 * `causedBy`, a consumed event a batch handler is applying) when tracing is on. Throws on a
 * programming error.
 */
export function toOutboxEntries(
  envelopes: readonly EventEnvelope[],
  options: { causedBy?: EventEnvelope } = {},
): OutboxEntry[] {
  const traceparent = (options.causedBy && eventCause(options.causedBy)) ?? currentTraceparent();
  return envelopes.map((envelope) => {
    const { traceparent: _stored, ...event } = envelope as OutboxEntry;
    const result = validateEvent(event);
    if (!result.ok) throw new Error(`refusing to store event ${String(envelope.id)}: ${result.reason}`);
    const copy = JSON.parse(JSON.stringify(event)) as OutboxEntry;
    assertStorableKeys(copy, 'event');
    if (traceparent) copy.traceparent = traceparent;
    return copy;
  });
}

/** Splits a stored entry into the envelope to publish and the traceparent of its writer. */
export function fromOutboxEntry(entry: unknown): { envelope: unknown; traceparent?: string } {
  if (entry === null || typeof entry !== 'object' || !('traceparent' in entry)) return { envelope: entry };
  const { traceparent, ...envelope } = entry as { traceparent?: unknown };
  return { envelope, traceparent: typeof traceparent === 'string' ? traceparent : undefined };
}

type Update = Record<string, unknown>;

/**
 * Adds the events to an update so they are stored in the same single-document write as the
 * change: `$push: { outbox: { $each: envelopes } }`, merged with any other operators.
 */
export function withOutbox<U extends Update>(update: U, envelopes: readonly EventEnvelope[]): U {
  if (envelopes.length === 0) return update;
  return mergePush(update, OUTBOX_FIELD, { $each: toOutboxEntries(envelopes) });
}

/** Merges `$push: { [field]: value }` into an operator update; refuses a second push to the same field. */
export function mergePush<U extends Update>(update: U, field: string, value: unknown): U {
  const plainKeys = Object.keys(update).filter((k) => !k.startsWith('$'));
  if (plainKeys.length > 0) {
    throw new Error(`expected an update with operators only, got field(s) ${plainKeys.join(', ')}`);
  }
  const push = (update.$push ?? {}) as Record<string, unknown>;
  if (field in push) throw new Error(`the update already pushes to ${field}`);
  return { ...update, $push: { ...push, [field]: value } };
}

function assertStorableKeys(value: unknown, path: string): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertStorableKeys(item, `${path}[${i}]`));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (key.includes('.') || key.startsWith('$')) {
      throw new Error(`cannot store key "${key}" at ${path}: keys may not contain '.' or start with '$'`);
    }
    assertStorableKeys(child, `${path}.${key}`);
  }
}
