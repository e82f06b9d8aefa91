import { z } from 'zod';
import { ConfigValidationError } from '../config/load-config';

/** Samplers by their OpenTelemetry names (the `OTEL_TRACES_SAMPLER` values the SDKs share). */
export const TRACE_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type TraceSamplerName = (typeof TRACE_SAMPLERS)[number];

/** Share of traces kept in production when `OTEL_TRACES_SAMPLER_ARG` is unset. */
export const DEFAULT_PRODUCTION_RATIO = 0.1;

const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional());

const tracingEnvSchema = z.object({
  /** Base OTLP/HTTP endpoint (`/v1/traces` is appended), e.g. `http://127.0.0.1:4318`. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  /** Full OTLP/HTTP traces URL; wins over the base endpoint. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalUrl,
  OTEL_SDK_DISABLED: z.enum(['true', 'false']).default('false'),
  OTEL_TRACES_SAMPLER: z.enum(TRACE_SAMPLERS).optional(),
  OTEL_TRACES_SAMPLER_ARG: z.preprocess(
    (v) => (v === '' || v === undefined ? undefined : Number(v)),
    z.number().min(0).max(1).optional(),
  ),
  OTEL_SERVICE_NAME: z.string().min(1).max(100).optional(),
  PORTAL_ENV: z.string().optional(),
});

export interface TracingConfig {
  /** Where spans go (OTLP over HTTP, protobuf); tracing is off when there is none. */
  url: string;
  serviceName: string;
  sampler: TraceSamplerName;
  ratio: number;
}

/**
 * Reads the OpenTelemetry variables once, at boot. Undefined means tracing is off: no endpoint
 * (tests, CI, a developer who did not ask for it) or `OTEL_SDK_DISABLED=true`. The default sampler
 * keeps every trace in development and a ratio elsewhere, always following the caller's decision.
 */
export function loadTracingConfig(
  serviceName: string,
  env: Record<string, string | undefined> = process.env,
): TracingConfig | undefined {
  const result = tracingEnvSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigValidationError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const c = result.data;
  const url =
    c.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
    (c.OTEL_EXPORTER_OTLP_ENDPOINT ? `${c.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces` : undefined);
  if (!url || c.OTEL_SDK_DISABLED === 'true') return undefined;
  const development = (c.PORTAL_ENV ?? 'production') === 'development';
  return {
    url,
    serviceName: c.OTEL_SERVICE_NAME ?? serviceName,
    sampler: c.OTEL_TRACES_SAMPLER ?? (development ? 'parentbased_always_on' : 'parentbased_traceidratio'),
    ratio: c.OTEL_TRACES_SAMPLER_ARG ?? (development ? 1 : DEFAULT_PRODUCTION_RATIO),
  };
}
