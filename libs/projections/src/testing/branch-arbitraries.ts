import fc from 'fast-check';
import type { StoredSquadEvent } from '@squad/projections';
import { fromDay } from '@squad/projections';

/** Small worlds for property tests of branches: any mix of claims, over a few clubs, players and days. */
export const CLUBS = ['juventus', 'marseille', 'ajax'];
export const PLAYERS = ['a', 'b', 'c', 'd'];
export const FIRST_DAY = 20_000;
export const day = (n: number) => fromDay(FIRST_DAY + n);

const club = fc.constantFrom(...CLUBS);
const player = fc.constantFrom(...PLAYERS);
const typed = <T extends string, R extends object>(type: T, fields: fc.Arbitrary<R>) =>
  fields.map((f) => ({ type, ...f }));

/** One claim: its type and fields, as the ledger stores them in `data` (without `effectiveOn`). */
export const claim = fc.oneof(
  typed('PlayerRegistered', fc.record({ player, club, position: fc.constantFrom('CB', 'LB', 'ST') })).map((c) => ({
    ...c,
    name: c.player,
  })),
  typed('TransferCompleted', fc.record({ player, fromClub: club, toClub: club })),
  typed(
    'LoanDeparted',
    fc.record({ player, toClub: club, until: fc.option(fc.integer({ min: 0, max: 20 }).map(day), { nil: undefined }) }),
  ),
  typed('LoanReturned', fc.record({ player, fromClub: club })),
  typed('InterestDeclared', fc.record({ club, player, priority: fc.constantFrom('top', 'high', 'low') })),
  typed('TalksRequested', fc.record({ club, player, withClub: club })),
  typed('TalksRefused', fc.record({ club, player, byClub: club })),
  typed('BidSubmitted', fc.record({ club, player, toClub: club, amountEur: fc.integer({ min: 1, max: 9 }) })),
  typed('BidRejected', fc.record({ club, player, byClub: club })),
  typed('PursuitAbandoned', fc.record({ club, player })),
  typed('InterestRenewalExpected', fc.record({ club, player, expectedFrom: fc.integer({ min: 0, max: 20 }).map(day) })),
  typed('PlayerInjured', fc.record({ player })),
  typed('PlayerReturnedFromInjury', fc.record({ player })),
  typed('OutgoingCandidateFlagged', fc.record({ club, player, reason: fc.constant('saturated') })),
  typed('ContractRecorded', fc.record({ player, club, expiresOn: fc.integer({ min: 0, max: 20 }).map(day) })),
  typed('MarketValueReported', fc.record({ player, valueEur: fc.integer({ min: 1, max: 9 }) })),
  typed(
    'ClaimDisputed',
    fc.record({
      club,
      player,
      disputedType: fc.constantFrom('TalksRefused', 'InterestDeclared', 'ContractRecorded'),
      statement: fc.constant('no'),
    }),
  ),
);

/** A report: 1 to 3 claims published on one day, each with its own valid day. */
export const reportArb = fc.record({
  known: fc.integer({ min: 0, max: 20 }),
  claims: fc.array(fc.record({ claim, valid: fc.integer({ min: 0, max: 20 }) }), { minLength: 1, maxLength: 3 }),
});
export interface GeneratedReport {
  readonly known: number;
  readonly claims: readonly {
    readonly claim: { readonly type: string } & Record<string, unknown>;
    readonly valid: number;
  }[];
}

/** The stored events of `reports`, from position `firstPosition` on, in `stream`. */
export function storedEvents(
  reports: readonly GeneratedReport[],
  stream: string,
  firstPosition: number,
  idPrefix: string,
): (StoredSquadEvent & { reportId: string; known: number })[] {
  const out: (StoredSquadEvent & { reportId: string; known: number })[] = [];
  let position = firstPosition;
  reports.forEach((report, r) => {
    const reportId = `${idPrefix}${r}`;
    report.claims.forEach(({ claim: { type, ...fields }, valid }, claimIndex) => {
      out.push({
        type,
        data: { ...fields, effectiveOn: day(valid) },
        metadata: {
          reportId,
          source: { name: `source ${r % 2}` },
          publishedOn: day(report.known),
          publishedOnApprox: false,
          claimIndex,
          claimCount: report.claims.length,
          reportHash: `hash-${reportId}`,
        },
        position: BigInt(position++),
        stream,
        reportId,
        known: report.known,
      });
    });
  });
  return out;
}
