import { createEnvelope, defineEvent, registerEventDefinition, Topics } from '@app/contracts';
import { z } from 'zod';
import { applyOnce } from '../idempotency/applied-events';
import { toOutboxEntries, withOutbox } from './outbox';

const OutboxSpecV1 = defineEvent({
  type: 'OutboxSpecHappened',
  version: 1,
  topic: Topics.Tracking,
  schema: z.object({ note: z.string(), extra: z.record(z.string(), z.unknown()).optional() }),
  example: { note: 'hi' },
});

const event = (data: unknown = { note: 'hi' }) =>
  createEnvelope({ type: OutboxSpecV1.type, version: 1, key: 'k', data, source: 'spec' });

describe('withOutbox', () => {
  let unregister: () => void;
  beforeAll(() => (unregister = registerEventDefinition(OutboxSpecV1)));
  afterAll(() => unregister());

  it('pushes the events in the same update as the change', () => {
    const e1 = event();
    const update = withOutbox({ $set: { status: 'arrived' } }, [e1]);
    expect(update).toEqual({ $set: { status: 'arrived' }, $push: { outbox: { $each: [e1] } } });
  });

  it('keeps other pushes of the update', () => {
    const update = withOutbox({ $push: { scans: { code: '07' } } }, [event()]);
    expect(update.$push).toEqual({ scans: { code: '07' }, outbox: { $each: [expect.any(Object)] } });
  });

  it('leaves the update alone when there is nothing to publish', () => {
    const update = { $set: { a: 1 } };
    expect(withOutbox(update, [])).toBe(update);
  });

  it('refuses an event that fails its schema, before it reaches the store', () => {
    expect(() => withOutbox({ $set: {} }, [event({ note: 5 })])).toThrow(/refusing to store event .*note/);
  });

  it('refuses keys the store cannot hold', () => {
    expect(() => toOutboxEntries([event({ note: 'x', extra: { 'a.b': 1 } })])).toThrow(/cannot store key "a.b"/);
    expect(() => toOutboxEntries([event({ note: 'x', extra: { $set: 1 } })])).toThrow(/cannot store key "\$set"/);
  });

  it('refuses a replacement document', () => {
    expect(() => withOutbox({ status: 'x' }, [event()])).toThrow(/operators only/);
  });
});

describe('applyOnce', () => {
  it('guards the filter on the event id and pushes it bounded', () => {
    const { filter, update } = applyOnce({ _id: 'p1' }, { $set: { s: 1 } }, 'e1', { limit: 50 });
    expect(filter).toEqual({ _id: 'p1', appliedEventIds: { $ne: 'e1' } });
    expect(update).toEqual({ $set: { s: 1 }, $push: { appliedEventIds: { $each: ['e1'], $slice: -50 } } });
  });

  it('writes the bounded list with $set when the current ids are known', () => {
    const { update } = applyOnce({ _id: 'p1' }, { $set: { s: 1 } }, 'e4', { limit: 3, current: ['e1', 'e2', 'e3'] });
    expect(update).toEqual({ $set: { s: 1, appliedEventIds: ['e2', 'e3', 'e4'] } });
  });

  it('composes with the outbox in one update', () => {
    const { update } = applyOnce({ _id: 'p1' }, { $set: { s: 1 } }, 'e1');
    expect(Object.keys((update as Record<string, object>).$push)).toEqual(['appliedEventIds']);
  });
});
