import type { EventEnvelope } from '../envelope';
import type { EventData, EventDefinition } from './event-definition';

/** A handler of one event contract: its parsed, typed `data`, and the envelope it came in. */
export type EventHandler<D extends EventDefinition, R> = (
  data: EventData<D>,
  envelope: EventEnvelope<EventData<D>>,
) => R;

type AnyHandler<R> = (data: unknown, envelope: EventEnvelope) => R;

function keyOf(type: string, version: number): string {
  return `${type}@${version}`;
}

/**
 * A consumer's table of what it does per event contract (type and version), in place of
 * `if (type === …)` dispatch and `as XData` casts: `on(ParcelArrivedV1, (data) => …)` hands the
 * handler the data typed by the contract's schema. Consumers receive envelopes that were validated
 * against that schema on the way in (EventConsumer), which is what makes the typing true.
 */
export class EventHandlers<R> {
  private readonly handlers = new Map<string, AnyHandler<R>>();

  /** Registers the handler of one contract; a contract may have only one handler in a table. */
  on<D extends EventDefinition>(definition: D, handler: EventHandler<D, R>): this {
    const key = keyOf(definition.type, definition.version);
    if (this.handlers.has(key))
      throw new Error(`a handler of ${definition.type} v${definition.version} is already registered`);
    this.handlers.set(key, handler as AnyHandler<R>);
    return this;
  }

  /** Whether an envelope's type and version has a handler here. */
  handles(envelope: Pick<EventEnvelope, 'type' | 'version'>): boolean {
    return this.handlers.has(keyOf(envelope.type, envelope.version));
  }

  /** Runs the envelope's handler: its result, or `undefined` for a contract this table does not handle. */
  dispatch(envelope: EventEnvelope): R | undefined {
    const handler = this.handlers.get(keyOf(envelope.type, envelope.version));
    return handler ? handler(envelope.data, envelope) : undefined;
  }
}
