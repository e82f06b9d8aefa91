import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestContext } from '../request-context';
import { tagRequestId } from '../tracing/trace-context';

export const REQUEST_ID_HEADER = 'x-request-id';

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,200}$/;

/** Keeps a caller's request id only when it is short and of a safe charset, else makes one. */
export function resolveRequestId(incoming: string | string[] | undefined): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value !== undefined && SANE_REQUEST_ID.test(value) ? value : randomUUID();
}

type WithId = IncomingMessage & { id?: string };

/** Express middleware: settles the request id, echoes it and runs the rest of the chain inside its context. */
export function requestIdMiddleware(req: WithId, res: ServerResponse, next: () => void): void {
  const requestId = resolveRequestId(req.headers[REQUEST_ID_HEADER]);
  req.id = requestId;
  req.headers[REQUEST_ID_HEADER] = requestId;
  res.setHeader(REQUEST_ID_HEADER, requestId);
  tagRequestId(requestId);
  RequestContext.run(requestId, next);
}
