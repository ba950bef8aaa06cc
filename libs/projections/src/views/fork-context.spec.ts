import fc from 'fast-check';
import { latestRegistration, LedgerState, type SquadEvent } from '@squad/domain';
import { applyEvent, emptyReadModel, forkDecisionContext, type ForkPoint } from '@squad/projections';
import { CLUBS, FIRST_DAY, PLAYERS, reportArb, storedEvents } from '../testing/branch-arbitraries';

describe(forkDecisionContext.name, () => {
  it('answers every aggregate state like the ledger folded from the canonical events visible at the fork', () => {
    fc.assert(
      fc.property(
        fc.array(reportArb, { maxLength: 16, size: 'max' }),
        fc.nat(),
        fc.option(fc.integer({ min: 0, max: 21 }), { nil: undefined }),
        (reports, forkSeed, forkKnownAt) => {
          const events = storedEvents(reports, 'ledger-main', 1, 'r');
          const model = emptyReadModel();
          for (const event of events) applyEvent(model, event);
          const boundaries = [
            0,
            ...events.filter((e, i) => events[i + 1]?.reportId !== e.reportId).map((e) => Number(e.position)),
          ];
          const fork: ForkPoint =
            forkKnownAt === undefined
              ? { position: boundaries[forkSeed % boundaries.length] }
              : { position: events.length, knownAt: FIRST_DAY + forkKnownAt };

          const naive = new LedgerState();
          for (const event of events) {
            if (
              Number(event.position) <= fork.position &&
              (fork.knownAt === undefined || FIRST_DAY + event.known <= fork.knownAt)
            )
              naive.apply(event as unknown as SquadEvent);
          }
          const context = forkDecisionContext(model, fork, (reportId) => `hash-${reportId}`);
          for (const player of PLAYERS) {
            expect({ player, state: context.player(player) }).toEqual({ player, state: naive.player(player) });
            for (const club of CLUBS)
              expect({ club, player, state: context.clubPlayerClaims(club, player) }).toEqual({
                club,
                player,
                state: naive.clubPlayerClaims(club, player),
              });
          }
          for (const reportId of [...new Set(events.map((e) => e.reportId))]) {
            expect({ reportId, state: context.report(reportId) }).toEqual({ reportId, state: naive.report(reportId) });
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('lets a branch ledger evolve its own events on top of the fork', () => {
    const events = storedEvents(
      [
        {
          known: 1,
          claims: [
            {
              claim: { type: 'PlayerRegistered', player: 'a', club: 'marseille', position: 'CB', name: 'A' },
              valid: 1,
            },
          ],
        },
      ],
      'ledger-main',
      1,
      'r',
    );
    const model = emptyReadModel();
    for (const event of events) applyEvent(model, event);
    const branch = new LedgerState(forkDecisionContext(model, { position: 1 }, () => 'hash'));
    branch.apply({
      type: 'LoanDeparted',
      data: { player: 'a', toClub: 'ajax', effectiveOn: '2025-01-01' },
      metadata: {
        reportId: 'b1',
        source: { name: 's' },
        publishedOn: '2025-01-01',
        publishedOnApprox: false,
        claimIndex: 0,
        claimCount: 1,
        reportHash: 'h',
      },
    });
    expect(latestRegistration(branch.player('a'))).toMatchObject({
      status: 'registered',
      club: 'marseille',
      onLoanAt: 'ajax',
    });
    expect(branch.report('r0')).toEqual({ status: 'recorded', reportHash: 'hash' });
    expect(
      latestRegistration(new LedgerState(forkDecisionContext(model, { position: 0 }, () => 'hash')).player('a')),
    ).toEqual({
      status: 'unknown',
    });
  });
});
