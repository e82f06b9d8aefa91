// How the services write to the store (README "Architecture"): conditional updates, the locks and cross-process
// claims that serialise writers of one document, and the limits of one store round trip. Messaging builds its
// outbox relay and idempotent consumers on these; the apps' repositories use them directly.
export * from './duplicate-key';
export * from './store-limits';
export * from './keyed-lock';
export * from './write-claims';
export * from './conditional-update';
export * from './pending-list';
