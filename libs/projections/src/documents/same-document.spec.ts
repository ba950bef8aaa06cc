import fc from 'fast-check';
import { sameDocument } from './same-document';

/** JSON text with every object's keys sorted: equal for documents that say the same. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1)))
      : v,
  );

describe(sameDocument.name, () => {
  it('agrees with comparing the canonical JSON text of two documents', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        expect(sameDocument(a, b)).toBe(canonical(a) === canonical(b));
        expect(sameDocument(a, structuredClone(a))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('ignores key order and keys holding undefined, as JSON does', () => {
    expect(sameDocument({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 })).toBe(true);
    expect(sameDocument({ a: 1, gone: undefined }, { a: 1 })).toBe(true);
    expect(sameDocument({ a: 1 }, { a: 1, gone: undefined })).toBe(true);
  });

  it('tells documents apart by any value, key or array order', () => {
    expect(sameDocument({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameDocument({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(sameDocument({ a: 1, b: 2 }, { a: 1, c: 2 })).toBe(false);
    expect(sameDocument([1, 2], [2, 1])).toBe(false);
    expect(sameDocument([], {})).toBe(false);
    expect(sameDocument({ position: 3, squad: [] }, { position: 4, squad: [] })).toBe(false);
  });
});
