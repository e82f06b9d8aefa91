// One file per event type and version (e.g. `parcel-arrived.v1.ts`), each exporting its
// definition; the registry below lists them all so publishers and consumers can validate.
export * from './event-definition';
export * from './event-handlers';
export * from './registry';
export * from './topic-contracts';
