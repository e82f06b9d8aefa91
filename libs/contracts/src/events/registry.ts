import type { z } from 'zod';
import { envelopeSchema, type EventEnvelope } from '../envelope';
import type { EventDefinition } from './event-definition';
import { contractsOf, TOPIC_CONTRACTS } from './topic-contracts';

/** Every event definition, from the per-topic lists in `TOPIC_CONTRACTS`. */
export const EVENT_DEFINITIONS: readonly EventDefinition[] = Object.values(TOPIC_CONTRACTS).flat();

// Definitions added at run time (tests register sample events); looked up after EVENT_DEFINITIONS.
const runtimeDefinitions = new Map<string, EventDefinition>();

function definitionKey(type: string, version: number): string {
  return `${type}@${version}`;
}

export function findEventDefinition(type: string, version: number): EventDefinition | undefined {
  return (
    EVENT_DEFINITIONS.find((d) => d.type === type && d.version === version) ??
    runtimeDefinitions.get(definitionKey(type, version))
  );
}

/**
 * Registers a definition outside the static list (meant for tests and tools). Refuses a type and
 * version that is already known. Returns a function that removes it again.
 */
export function registerEventDefinition(definition: EventDefinition): () => void {
  const key = definitionKey(definition.type, definition.version);
  if (findEventDefinition(definition.type, definition.version)) {
    throw new Error(`event ${definition.type} v${definition.version} is already registered`);
  }
  runtimeDefinitions.set(key, definition);
  return () => {
    if (runtimeDefinitions.get(key) === definition) runtimeDefinitions.delete(key);
  };
}

export type EventValidation =
  { ok: true; envelope: EventEnvelope; definition: EventDefinition } | { ok: false; reason: string };

function describeIssues(prefix: string, error: z.ZodError): string {
  const issues = error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  return `${prefix}: ${issues.join('; ')}`;
}

/**
 * Whether events of `definition` may travel on `topic` (logical name): it is one of the topic's
 * contracts, or a definition registered at run time for that topic.
 */
export function belongsToTopic(definition: EventDefinition, topic: string): boolean {
  if (contractsOf(topic).includes(definition)) return true;
  const registered = runtimeDefinitions.get(definitionKey(definition.type, definition.version));
  return registered === definition && definition.topic === topic;
}

/**
 * Checks a candidate event: the envelope's shape, then `data` against the schema registered for its
 * type and version (an unknown type or version fails). With `topic` (the logical topic it was read
 * from), a type that is not one of that topic's contracts fails too. On success `envelope.data` is
 * the parsed data.
 */
export function validateEvent(candidate: unknown, topic?: string): EventValidation {
  const parsedEnvelope = envelopeSchema.safeParse(candidate);
  if (!parsedEnvelope.success) {
    return { ok: false, reason: describeIssues('invalid envelope', parsedEnvelope.error) };
  }
  const envelope = parsedEnvelope.data;
  const definition = findEventDefinition(envelope.type, envelope.version);
  if (!definition) {
    return { ok: false, reason: `unknown event type ${envelope.type} v${envelope.version}` };
  }
  if (topic !== undefined && !belongsToTopic(definition, topic)) {
    return {
      ok: false,
      reason: `event type ${envelope.type} v${envelope.version} does not belong to topic ${topic} (its contract is on ${definition.topic})`,
    };
  }
  const parsedData = definition.schema.safeParse(envelope.data);
  if (!parsedData.success) {
    return {
      ok: false,
      reason: describeIssues(`invalid data for ${envelope.type} v${envelope.version}`, parsedData.error),
    };
  }
  return { ok: true, envelope: { ...envelope, data: parsedData.data }, definition };
}
