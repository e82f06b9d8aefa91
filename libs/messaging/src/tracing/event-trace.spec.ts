import { createEnvelope, defineEvent, registerEventDefinition, Topics } from '@app/contracts';
import { currentTraceparent, inJobSpan, inSpan, withJobTrace } from '@app/platform';
import { NodeSDK, tracing } from '@opentelemetry/sdk-node';
import { z } from 'zod';
import { fromOutboxEntry, toOutboxEntries } from '../outbox/outbox';
import { inConsumeBatchSpans, inConsumeSpan, setEventCause, tracePublish } from './event-trace';

const TraceSpecV1 = defineEvent({
  type: 'TraceSpecHappened',
  version: 1,
  topic: Topics.Tracking,
  schema: z.object({ note: z.string() }),
  example: { note: 'hi' },
});
const event = () =>
  createEnvelope({ type: TraceSpecV1.type, version: 1, key: 'k', data: { note: 'hi' }, source: 'spec' });

/** `00-<trace id>-<span id>-<flags>` */
const parts = (traceparent: string | undefined) => {
  const [, traceId, spanId] = (traceparent ?? '').split('-');
  return { traceId, spanId };
};

describe('trace context across the outbox, Kafka headers and jobs (in-memory SDK)', () => {
  const exporter = new tracing.InMemorySpanExporter();
  const sdk = new NodeSDK({ spanProcessors: [new tracing.SimpleSpanProcessor(exporter)], instrumentations: [] });
  let unregister: () => void;

  beforeAll(() => {
    sdk.start();
    unregister = registerEventDefinition(TraceSpecV1);
  });
  afterAll(async () => {
    unregister();
    await sdk.shutdown();
  });
  beforeEach(() => exporter.reset());

  const span = (name: string) => {
    const found = exporter.getFinishedSpans().find((s) => s.name === name);
    if (!found) throw new Error(`no span ${name}`);
    return found;
  };

  it('stores the writer span with each outbox entry, and hands the envelope back without it', async () => {
    let writer: string | undefined;
    const [entry] = await inSpan('write parcel', {}, () => {
      writer = currentTraceparent();
      return Promise.resolve(toOutboxEntries([event()]));
    });
    expect(entry.traceparent).toBe(writer);
    const { envelope, traceparent } = fromOutboxEntry(entry);
    expect(traceparent).toBe(writer);
    expect(envelope).not.toHaveProperty('traceparent');
  });

  it('publishes a relayed event under its writer span, whatever the relay context, and keeps that header', async () => {
    let writer: string | undefined;
    await inSpan('request', {}, () => {
      writer = currentTraceparent();
      return Promise.resolve();
    });
    const envelope = event();
    setEventCause(envelope, writer);
    const headers: Record<string, string> = {};
    // The relay runs in a trace of its own (a sweep timer).
    await inSpan('sweep', {}, () => {
      const end = tracePublish('tracking.events', envelope, headers);
      // What the kafkajs instrumentation does next: inject the active (sweep) context.
      headers.traceparent = currentTraceparent() ?? '';
      end();
      return Promise.resolve();
    });
    const publish = span(`publish tracking.events ${envelope.type}`);
    expect(publish.parentSpanContext?.spanId).toBe(parts(writer).spanId);
    expect(publish.spanContext().traceId).toBe(parts(writer).traceId);
    expect(parts(headers.traceparent).spanId).toBe(publish.spanContext().spanId);
  });

  it('processes a consumed event under the span that published it, and stores its outbox under the consume span', async () => {
    const envelope = event();
    const headers: Record<string, string> = {};
    await inSpan('request', {}, () => {
      tracePublish('postal.scans', envelope, headers)();
      return Promise.resolve();
    });
    const published = parts(headers.traceparent);
    const [entry] = await inConsumeSpan('postal.scans', envelope, headers, () =>
      Promise.resolve(toOutboxEntries([event()])),
    );
    const consume = span(`process postal.scans ${envelope.type}`);
    expect(consume.parentSpanContext?.spanId).toBe(published.spanId);
    expect(consume.attributes['portal.correlation_id']).toBe(envelope.correlationId);
    expect(parts(entry.traceparent).spanId).toBe(consume.spanContext().spanId);
  });

  it('gives each event of a batch its own consume span, which a batch handler names as the cause', async () => {
    const [a, b] = [event(), event()];
    const [ha, hb]: Record<string, string>[] = [{}, {}];
    await inSpan('request a', {}, () => Promise.resolve(tracePublish('postal.scans', a, ha)()));
    await inSpan('request b', {}, () => Promise.resolve(tracePublish('postal.scans', b, hb)()));
    const stored = await inConsumeBatchSpans(
      'postal.scans',
      [
        { envelope: a, headers: ha },
        { envelope: b, headers: hb },
      ],
      () => Promise.resolve(toOutboxEntries([event()], { causedBy: b })),
    );
    const consumeB = exporter
      .getFinishedSpans()
      .find(
        (s) =>
          s.name.startsWith('process postal.scans') && s.parentSpanContext?.spanId === parts(hb.traceparent).spanId,
      );
    expect(consumeB).toBeDefined();
    expect(parts(stored[0].traceparent).spanId).toBe(consumeB?.spanContext().spanId);
    expect(span('process postal.scans batch').links).toHaveLength(2);
  });

  it('carries the enqueuing span in the job data and processes the job under it', async () => {
    let data: { messageId: string; traceparent?: string } = { messageId: 'm1' };
    await inSpan('plan notifications', {}, () => {
      data = withJobTrace({ messageId: 'm1' });
      return Promise.resolve();
    });
    expect(data.traceparent).toBeDefined();
    await inJobSpan('email', { id: 'm1', name: 'send-email', data, attemptsMade: 0 }, () => Promise.resolve());
    expect(span('process email').parentSpanContext?.spanId).toBe(span('plan notifications').spanContext().spanId);
  });
});
