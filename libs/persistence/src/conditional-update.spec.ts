import { matches } from './conditional-update';

describe('matches (the condition check of ConditionalUpdates on FerretDB)', () => {
  const doc = {
    _id: 'u1',
    status: 'open',
    addresses: [{ id: 'a1', line1: '1 MAIN ST', verifiedAt: new Date('2026-01-02T03:04:05Z'), line2: null }],
    appliedEventIds: ['e1', 'e2'],
    updatedAt: new Date('2026-01-02T03:04:05Z'),
  };

  it('compares embedded documents and arrays holding Dates by value, as MongoDB does', () => {
    const copy = structuredClone(doc.addresses);
    expect(matches({ addresses: copy }, doc)).toBe(true);
    expect(matches({ addresses: [{ ...copy[0], verifiedAt: new Date('2026-01-02T03:04:06Z') }] }, doc)).toBe(false);
    expect(matches({ addresses: [] }, doc)).toBe(false);
  });

  it('tells field order and extra fields of embedded documents apart, as BSON equality does', () => {
    const [entry] = doc.addresses;
    expect(
      matches({ addresses: [{ line1: entry.line1, id: entry.id, verifiedAt: entry.verifiedAt, line2: null }] }, doc),
    ).toBe(false);
    expect(matches<Record<string, unknown>>({ addresses: [{ ...entry, extra: 1 }] }, doc)).toBe(false);
  });

  it('keeps the operators and the scalar rules', () => {
    expect(matches({ status: 'open', appliedEventIds: { $ne: 'e3' } }, doc)).toBe(true);
    expect(matches({ appliedEventIds: { $ne: 'e2' } }, doc)).toBe(false);
    expect(matches({ updatedAt: new Date('2026-01-02T03:04:05Z') }, doc)).toBe(true);
    expect(matches({ acceptedAt: { $exists: false } }, doc)).toBe(true);
    expect(matches({ missing: null }, doc)).toBe(true);
    expect(matches({ status: 'closed' }, doc)).toBe(false);
    expect(matches({ 'addresses.id': 'a1' }, doc)).toBe(true);
  });
});
