import type { EventDefinition } from './event-definition';

// Each domain adds its definitions here (import from the per-event file).
export const EVENT_DEFINITIONS: readonly EventDefinition[] = [];

export function findEventDefinition(type: string, version: number): EventDefinition | undefined {
  return EVENT_DEFINITIONS.find((d) => d.type === type && d.version === version);
}
