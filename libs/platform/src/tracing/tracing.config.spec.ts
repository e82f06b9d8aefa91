import { ConfigValidationError } from '../config/load-config';
import { DEFAULT_PRODUCTION_RATIO, loadTracingConfig } from './tracing.config';

describe('loadTracingConfig', () => {
  it('leaves tracing off when no OTLP endpoint is configured', () => {
    expect(loadTracingConfig('tracking', { PORTAL_ENV: 'development' })).toBeUndefined();
  });

  it('leaves tracing off when the SDK is disabled, endpoint or not', () => {
    expect(
      loadTracingConfig('tracking', {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
        OTEL_SDK_DISABLED: 'true',
      }),
    ).toBeUndefined();
  });

  it('sends to /v1/traces under the base endpoint, and keeps every trace in development', () => {
    expect(
      loadTracingConfig('tracking', {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/',
        PORTAL_ENV: 'development',
      }),
    ).toEqual({
      url: 'http://127.0.0.1:4318/v1/traces',
      serviceName: 'tracking',
      sampler: 'parentbased_always_on',
      ratio: 1,
    });
  });

  it('samples a ratio of new traces outside development unless told otherwise', () => {
    const config = loadTracingConfig('gateway', {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces',
    });
    expect(config).toMatchObject({ sampler: 'parentbased_traceidratio', ratio: DEFAULT_PRODUCTION_RATIO });
    expect(config?.url).toBe('http://collector:4318/v1/traces');
  });

  it('takes the sampler, its ratio and the service name from the standard variables', () => {
    expect(
      loadTracingConfig('notifications', {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
        OTEL_TRACES_SAMPLER: 'traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
        OTEL_SERVICE_NAME: 'notifications-worker',
      }),
    ).toMatchObject({ sampler: 'traceidratio', ratio: 0.25, serviceName: 'notifications-worker' });
  });

  it('refuses an unknown sampler or a ratio outside 0..1, naming the variable', () => {
    const base = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
    expect(() => loadTracingConfig('auth', { ...base, OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(
      ConfigValidationError,
    );
    expect(() => loadTracingConfig('auth', { ...base, OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(
      /OTEL_TRACES_SAMPLER_ARG/,
    );
  });
});
