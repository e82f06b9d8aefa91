import type { Level } from 'pino';

/**
 * Requests machines make all the time: probes, the scraper, and the services' key fetches from
 * auth's JWKS. Logged at debug so an info log shows what people and systems asked for.
 */
const ROUTINE = /^\/(health|metrics|\.well-known\/jwks\.json)(\/|\?|$)/;

/**
 * The level of a request's log line: debug for routine requests whatever they answer (a readiness
 * 503 while a dependency is away is the probe doing its job, which the health registry reports),
 * error for a request whose handling threw past the error filter (pino-http's own rule), else info
 * (a server error's details are logged once, by the exception filter).
 */
export function requestLogLevel(url: string, failed = false): Level {
  if (ROUTINE.test(url)) return 'debug';
  return failed ? 'error' : 'info';
}
