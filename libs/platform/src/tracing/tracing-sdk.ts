import { FastifyOtelInstrumentation } from '@fastify/otel';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { NodeSDK, tracing } from '@opentelemetry/sdk-node';
import type { TracingConfig } from './tracing.config';

/** Probes and scrapes: frequent, and no one looks for them in a trace. */
const UNTRACED_PATHS = /^\/(health|metrics)(\/|\?|$)/;

function sampler(config: TracingConfig): tracing.Sampler {
  const ratio = new tracing.TraceIdRatioBasedSampler(config.ratio);
  switch (config.sampler) {
    case 'always_on':
      return new tracing.AlwaysOnSampler();
    case 'always_off':
      return new tracing.AlwaysOffSampler();
    case 'traceidratio':
      return ratio;
    case 'parentbased_always_on':
      return new tracing.ParentBasedSampler({ root: new tracing.AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new tracing.ParentBasedSampler({ root: new tracing.AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new tracing.ParentBasedSampler({ root: ratio });
  }
}

/** The SDK with the instrumentations of every library the apps use; flushed on exit. */
export function startSdk(config: TracingConfig): void {
  const sdk = new NodeSDK({
    serviceName: config.serviceName,
    sampler: sampler(config),
    // Batched export (OTEL_BSP_* tune it); W3C trace context is the SDK's default propagator.
    spanProcessors: [new tracing.BatchSpanProcessor(new OTLPTraceExporter({ url: config.url }))],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.test(req.url ?? ''),
      }),
      // Both web frameworks: the apps run on Express today and are moving to Fastify; the HTTP
      // instrumentation makes the server span either way, these add the route and middleware spans.
      // Route spans only: a span per middleware (a dozen per request here) cost more than they told.
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
      new FastifyOtelInstrumentation({
        registerOnInitialization: true,
        ignorePaths: (o) => UNTRACED_PATHS.test(o.url),
      }),
      new KafkaJsInstrumentation(),
      // Only inside a traced operation: BullMQ and the outbox sweep poll the stores all the time.
      new MongoDBInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  // No signal handler here: one would stop Node's default exit on SIGTERM and keep Nest's re-raised
  // signal from ending the process. Spans of the last batch interval before a kill may be lost.
  process.once('beforeExit', () => {
    sdk.shutdown().catch(() => undefined);
  });
}
