import { canonicalJson, derivedId, requestHash } from './idempotency.service';

describe('Idempotency-Key request identity', () => {
  it('reads the same body with its keys in another order as the same request', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { e: 3, f: 2 }] }, b: 1 }),
    );
    expect(requestHash('POST', '/x', { a: 1, b: 2 })).toBe(requestHash('POST', '/x', { b: 2, a: 1 }));
  });

  it('refuses a body nested deeper than any money call needs (a 400, not a stack overflow)', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(() => requestHash('POST', '/x', { a: deep })).toThrow(/nests deeper than 32 levels/);
  });

  it('tells another amount, path or method apart', () => {
    const base = requestHash('POST', '/x', { amountCents: 1000 });
    expect(requestHash('POST', '/x', { amountCents: 2000 })).not.toBe(base);
    expect(requestHash('POST', '/y', { amountCents: 1000 })).not.toBe(base);
    expect(requestHash('PUT', '/x', { amountCents: 1000 })).not.toBe(base);
  });

  it('derives the same UUID-shaped id from a key and purpose, and another for another purpose', () => {
    const id = derivedId('owner:POST /labels:k1', 'label');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(derivedId('owner:POST /labels:k1', 'label')).toBe(id);
    expect(derivedId('owner:POST /labels:k1', 'charge')).not.toBe(id);
  });
});
