import fc from 'fast-check';
import { CLAIM_TYPES, MAX_SLUG_LENGTH } from '@squad/domain';
import { exampleReport, MAX_EUROS, parseReport } from '@squad/reports';

describe(parseReport.name, () => {
  it('turns every documented example into a domain report', () => {
    for (const type of CLAIM_TYPES) {
      const parsed = parseReport(exampleReport(type));
      expect(parsed).toEqual({
        report: expect.objectContaining({ reportId: `example-${type}`, publishedOnApprox: false }),
      });
    }
  });

  it('bounds amounts and slugs: a fee of 1e308 or a slug past the router limit is refused, naming the field', () => {
    const bid = (amountEur: number) =>
      parseReport({
        ...exampleReport('BidSubmitted'),
        claims: [
          { type: 'BidSubmitted', club: 'juventus', player: 'leonardo-balerdi', toClub: 'marseille', amountEur },
        ],
      });
    expect(bid(222_000_000)).toEqual({ report: expect.anything() });
    expect(bid(MAX_EUROS)).toEqual({ report: expect.anything() });
    expect(bid(1e308)).toEqual({
      problems: [{ field: 'claims[0].amountEur', reason: `amountEur must be at most ${MAX_EUROS} euros` }],
    });
    const injured = (player: string) =>
      parseReport({ ...exampleReport('PlayerInjured'), claims: [{ type: 'PlayerInjured', player }] });
    expect(injured('a'.repeat(MAX_SLUG_LENGTH))).toEqual({ report: expect.anything() });
    expect(injured('a'.repeat(MAX_SLUG_LENGTH + 1))).toEqual({
      problems: [
        { field: 'claims[0].player', reason: expect.stringContaining(`at most ${MAX_SLUG_LENGTH} characters`) },
      ],
    });
  });

  it("takes a source kind from clients, but not `data`: a data provider's records come through the import", () => {
    const from = (kind: string) => parseReport({ ...exampleReport('PlayerInjured'), source: { name: 'S', kind } });
    expect(from('official')).toEqual({
      report: expect.objectContaining({ source: { name: 'S', kind: 'official' } }),
    });
    expect(from('data')).toEqual({
      problems: [
        {
          field: 'source.kind',
          reason: expect.stringContaining("a data provider's records come in through the import") as string,
        },
      ],
    });
  });

  it('takes a window of days for a claim: effectiveOn defaults to its last day, approximate; a bad window names its field', () => {
    const returned = (claim: Record<string, unknown>) =>
      parseReport({
        ...exampleReport('PlayerReturnedFromInjury'),
        publishedOn: '2025-09-04',
        claims: [{ type: 'PlayerReturnedFromInjury', player: 'gleison-bremer', ...claim }],
      });
    const window = { from: '2025-08-20', to: '2025-09-04' };
    expect(returned({ effectiveBetween: window })).toEqual({
      report: expect.objectContaining({
        claims: [
          expect.objectContaining({ effectiveBetween: window, effectiveOn: '2025-09-04', effectiveOnApprox: true }),
        ],
      }),
    });
    // a day named inside the window is kept
    expect(returned({ effectiveBetween: window, effectiveOn: '2025-08-25' })).toEqual({
      report: expect.objectContaining({ claims: [expect.objectContaining({ effectiveOn: '2025-08-25' })] }),
    });
    expect(returned({ effectiveBetween: window, effectiveOn: '2025-09-05' })).toEqual({
      problems: [{ field: 'claims[0].effectiveOn', reason: expect.stringContaining('outside effectiveBetween') }],
    });
    expect(returned({ effectiveBetween: { from: '2025-09-04', to: '2025-08-20' } })).toEqual({
      problems: [{ field: 'claims[0].effectiveBetween.to', reason: expect.stringContaining('before from 2025-09-04') }],
    });
    expect(returned({ effectiveBetween: { from: '2025-08-20' } })).toEqual({
      problems: [{ field: 'claims[0].effectiveBetween.to', reason: expect.any(String) }],
    });
    expect(returned({ effectiveBetween: { ...window, middle: '2025-08-27' } })).toEqual({
      problems: [{ field: 'claims[0].effectiveBetween.middle', reason: expect.any(String) }],
    });
    expect(returned({ effectiveBetween: '2025-08' })).toEqual({
      problems: [{ field: 'claims[0].effectiveBetween', reason: expect.stringContaining('must be an object') }],
    });
  });

  it('keeps only the fields given, without undefined members', () => {
    const parsed = parseReport({
      ...exampleReport('PlayerInjured'),
      claims: [{ type: 'PlayerInjured', player: 'gleison-bremer' }],
    });
    expect('report' in parsed && parsed.report.claims[0]).toEqual({ type: 'PlayerInjured', player: 'gleison-bremer' });
  });

  it('reports keys named like members of every object (constructor, isPrototypeOf...) as unknown fields, anywhere', () => {
    const own = (object: object, key: string, value: unknown) =>
      Object.defineProperty({ ...object }, key, { value, enumerable: true });
    for (const key of [
      '__proto__',
      'constructor',
      'hasOwnProperty',
      'isPrototypeOf',
      'toString',
      'valueOf',
      '__defineGetter__',
    ]) {
      for (const value of [null, '', 1, {}, { prototype: { polluted: true } }]) {
        const example = exampleReport('PlayerRegistered');
        const bodies: [object, string][] = [
          [own(example, key, value), key],
          [{ ...example, source: own(example.source, key, value) }, `source.${key}`],
          [{ ...example, claims: [own(example.claims[0], key, value)] }, `claims[0].${key}`],
        ];
        for (const [body, field] of bodies) {
          expect(parseReport(body)).toEqual({ problems: [{ field, reason: `property ${key} should not exist` }] });
        }
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never throws on hostile input: it returns a report or problems naming fields', () => {
    const hostileValue = fc.oneof(
      fc.anything({
        withNullPrototype: true,
        withBigInt: true,
        withDate: true,
        withMap: true,
        withSet: true,
        withTypedArray: true,
      }),
      fc.constantFrom(
        { __proto__: { polluted: true } },
        { constructor: { prototype: { polluted: true } } },
        '\u0000\ud800',
        'x'.repeat(10_000),
      ),
    );
    const body = fc.oneof(
      hostileValue,
      fc.record(
        { reportId: hostileValue, source: hostileValue, publishedOn: hostileValue, claims: hostileValue },
        { requiredKeys: [] },
      ),
      fc.record({
        reportId: fc.constant('r'),
        source: fc.oneof(hostileValue, fc.record({ name: hostileValue, url: hostileValue }, { requiredKeys: [] })),
        publishedOn: fc.constant('2025-06-17'),
        claims: fc.array(
          fc.oneof(
            hostileValue,
            fc.record(
              {
                type: fc.oneof(fc.constantFrom(...CLAIM_TYPES), hostileValue),
                player: hostileValue,
                club: hostileValue,
                position: hostileValue,
              },
              { requiredKeys: [] },
            ),
          ),
        ),
      }),
    );
    fc.assert(
      fc.property(body, (input) => {
        const parsed = parseReport(input);
        if ('problems' in parsed) {
          expect(parsed.problems.length).toBeGreaterThan(0);
          for (const p of parsed.problems) expect(p).toEqual({ field: expect.any(String), reason: expect.any(String) });
        }
      }),
      { numRuns: 500 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
