import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
} from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';

/**
 * Trace helpers on the OpenTelemetry API alone: with no SDK started (no endpoint configured) every
 * call is a cheap no-op, so callers never check whether tracing is on.
 */

/** Span attribute holding the request id (`x-request-id`), so a trace is found from a log line and back. */
export const REQUEST_ID_ATTRIBUTE = 'portal.request_id';
/** Span attribute holding an event's correlation id (the request id that caused it). */
export const CORRELATION_ID_ATTRIBUTE = 'portal.correlation_id';

const tracer = () => trace.getTracer('postal-portal');

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}

/** The W3C `traceparent` of the current span, or undefined when nothing is traced. */
export function currentTraceparent(ctx: Context = context.active()): string | undefined {
  if (!trace.getSpan(ctx)?.spanContext()) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent;
}

/** The context a stored or received `traceparent` stands for (the root context without one). */
export function contextFromTraceparent(traceparent: string | undefined): Context {
  if (!traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, { traceparent });
}

/** A link to the span a `traceparent` names, when it names one. */
export function linkTo(traceparent: string | undefined): Link | undefined {
  const spanContext = traceparent ? trace.getSpan(contextFromTraceparent(traceparent))?.spanContext() : undefined;
  return spanContext ? { context: spanContext } : undefined;
}

/**
 * Marks the request's HTTP server span with the request id. The HTTP instrumentation leaves that
 * span in the context's RPC metadata; the active span may be a framework's middleware span.
 */
export function tagRequestId(requestId: string): void {
  const ctx = context.active();
  const rpc = getRPCMetadata(ctx);
  const span = rpc?.type === RPCType.HTTP ? rpc.span : trace.getSpan(ctx);
  span?.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
}

export interface SpanOptions {
  kind?: SpanKind;
  /** The parent; default the active context. */
  parent?: Context;
  attributes?: Attributes;
  links?: Link[];
}

/**
 * Runs `fn` inside a new span (active for everything `fn` starts), ends it when `fn` settles, and
 * marks it failed with the error `fn` threw.
 */
export async function inSpan<T>(name: string, options: SpanOptions, fn: () => Promise<T>): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = tracer().startSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, links: options.links },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), fn);
  } catch (error) {
    span.recordException(error instanceof Error ? error : describe(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: describe(error) });
    throw error;
  } finally {
    span.end();
  }
}

/** Starts a span without making it active (the caller ends it); for a message that carries its own context. */
export function startSpan(
  name: string,
  options: SpanOptions,
): { traceparent?: string; end: (error?: unknown) => void } {
  const parent = options.parent ?? context.active();
  const span = tracer().startSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, links: options.links },
    parent,
  );
  return {
    traceparent: currentTraceparent(trace.setSpan(parent, span)),
    end: (error?: unknown) => {
      if (error !== undefined) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: describe(error) });
      }
      span.end();
    },
  };
}

/** What a BullMQ job's data carries so the worker's span joins the trace that enqueued it. */
export interface JobTraceCarrier {
  /** W3C traceparent of the enqueueing span; absent when nothing was traced. */
  traceparent?: string;
}

/** The job data with the current trace context added (unchanged when nothing is traced). */
export function withJobTrace<T extends object>(data: T): T & JobTraceCarrier {
  const traceparent = currentTraceparent();
  return traceparent ? { ...data, traceparent } : data;
}

/** Runs a job's processor inside a CONSUMER span whose parent is the span that enqueued the job. */
export function inJobSpan<T>(
  queue: string,
  job: { id?: string; name: string; data: JobTraceCarrier; attemptsMade: number },
  fn: () => Promise<T>,
): Promise<T> {
  return inSpan(
    `process ${queue}`,
    {
      kind: SpanKind.CONSUMER,
      parent: contextFromTraceparent(job.data.traceparent),
      attributes: {
        'messaging.system': 'bullmq',
        'messaging.destination.name': queue,
        'messaging.operation.type': 'process',
        'messaging.message.id': job.id ?? '',
        'bullmq.job.name': job.name,
        'bullmq.job.attempts_made': job.attemptsMade,
      },
    },
    fn,
  );
}

export { SpanKind };
