import { z } from 'zod';
import { createEnvelope } from '../envelope';
import { Topics } from '../topics';
import { defineEvent } from './event-definition';
import { EVENT_DEFINITIONS, findEventDefinition, registerEventDefinition, validateEvent } from './registry';

const SampleV1 = defineEvent({
  type: 'RegistrySpecSample',
  version: 1,
  topic: Topics.Tracking,
  schema: z.object({ trackingNumber: z.string().min(1), pieces: z.number().int().positive() }),
  example: { trackingNumber: '9400100000000000000000', pieces: 1 },
});

function sampleEnvelope(data: unknown = SampleV1.example) {
  return createEnvelope({ type: SampleV1.type, version: 1, key: 'k-1', data, source: 'spec', correlationId: 'req-1' });
}

describe('event registry', () => {
  let unregister: () => void;
  beforeEach(() => {
    unregister = registerEventDefinition(SampleV1);
  });
  afterEach(() => unregister());

  it('finds a definition registered at run time and forgets it once removed', () => {
    expect(findEventDefinition('RegistrySpecSample', 1)).toBe(SampleV1);
    expect(findEventDefinition('RegistrySpecSample', 2)).toBeUndefined();
    unregister();
    expect(findEventDefinition('RegistrySpecSample', 1)).toBeUndefined();
  });

  it('refuses to register the same type and version twice', () => {
    expect(() => registerEventDefinition(SampleV1)).toThrow(/already registered/);
  });

  it('accepts a well-formed event and returns its definition', () => {
    const result = validateEvent(sampleEnvelope());
    expect(result).toEqual({ ok: true, envelope: expect.any(Object), definition: SampleV1 });
    if (result.ok) expect(result.envelope.data).toEqual(SampleV1.example);
  });

  it('strips unknown data fields as the schema says', () => {
    const result = validateEvent(sampleEnvelope({ ...SampleV1.example, extra: true }));
    expect(result.ok && result.envelope.data).toEqual(SampleV1.example);
  });

  it('rejects an envelope with a missing or malformed field and names it', () => {
    const { id: _id, ...withoutId } = sampleEnvelope();
    const missing = validateEvent(withoutId);
    expect(missing).toEqual({ ok: false, reason: expect.stringMatching(/^invalid envelope: id: /) });

    const badTime = validateEvent({ ...sampleEnvelope(), occurredAt: 'yesterday' });
    expect(badTime).toEqual({ ok: false, reason: expect.stringContaining('occurredAt') });
  });

  it('rejects an envelope with unexpected top-level fields', () => {
    expect(validateEvent({ ...sampleEnvelope(), extra: 1 }).ok).toBe(false);
  });

  it('rejects something that is not an object', () => {
    expect(validateEvent('hello')).toEqual({ ok: false, reason: expect.stringMatching(/^invalid envelope/) });
    expect(validateEvent(null).ok).toBe(false);
  });

  it('rejects an unknown type or version', () => {
    expect(validateEvent({ ...sampleEnvelope(), type: 'Nope' })).toEqual({
      ok: false,
      reason: 'unknown event type Nope v1',
    });
    expect(validateEvent({ ...sampleEnvelope(), version: 7 })).toEqual({
      ok: false,
      reason: 'unknown event type RegistrySpecSample v7',
    });
  });

  it('rejects data that fails the schema and names the field', () => {
    const result = validateEvent(sampleEnvelope({ trackingNumber: '', pieces: 1.5 }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toMatch(/^invalid data for RegistrySpecSample v1: /);
      expect(result.reason).toContain('trackingNumber');
      expect(result.reason).toContain('pieces');
    }
  });
});

describe('registered event definitions', () => {
  it('have unique type and version pairs', () => {
    const keys = EVENT_DEFINITIONS.map((d) => `${d.type}@${d.version}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('each have an example that passes their own schema', () => {
    const failing = EVENT_DEFINITIONS.filter((d) => !d.schema.safeParse(d.example).success).map(
      (d) => `${d.type} v${d.version}`,
    );
    expect(failing).toEqual([]);
  });
});
