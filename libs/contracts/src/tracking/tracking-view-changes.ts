/**
 * Redis pub/sub channel (after the deployment's REDIS_PREFIX) on which tracking announces the
 * tracking numbers whose public view it has just changed in the read model: a comma-separated list.
 * The gateway drops its cached answers for them (its edge cache of public lookups).
 */
export const TRACKING_VIEWS_CHANGED_CHANNEL = 'tracking:views-changed';

/** A message on that channel that names no number: a gateway's own heartbeat (its instance id follows). */
export const TRACKING_VIEWS_HEARTBEAT_PREFIX = 'heartbeat:';
