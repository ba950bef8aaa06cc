import fc from 'fast-check';
import {
  applyEvent,
  emptyReadModel,
  fromDay,
  playerAt,
  squadDepth,
  statusAt,
  type SquadReadModel,
} from '@squad/projections';

const CLUBS = ['juventus', 'marseille', 'ajax'];
const PLAYERS = ['a', 'b', 'c', 'd'];
const day = (n: number) => fromDay(20_000 + n);

/** A squad move as the ledger would store it. */
const move = fc.oneof(
  fc
    .record({
      type: fc.constant('PlayerRegistered'),
      player: fc.constantFrom(...PLAYERS),
      club: fc.constantFrom(...CLUBS),
    })
    .map((d) => ({ ...d, name: d.player, position: 'CB' })),
  fc.record({
    type: fc.constant('TransferCompleted'),
    player: fc.constantFrom(...PLAYERS),
    fromClub: fc.constantFrom(...CLUBS),
    toClub: fc.constantFrom(...CLUBS),
  }),
  fc.record({
    type: fc.constant('LoanDeparted'),
    player: fc.constantFrom(...PLAYERS),
    toClub: fc.constantFrom(...CLUBS),
  }),
  fc.record({
    type: fc.constant('LoanReturned'),
    player: fc.constantFrom(...PLAYERS),
    fromClub: fc.constantFrom(...CLUBS),
  }),
);
const storedMove = fc.record({ move, valid: fc.integer({ min: 0, max: 20 }), known: fc.integer({ min: 0, max: 20 }) });

describe('club rosters', () => {
  it('find exactly the players whose own history puts them in the squad, for any day and knowledge', () => {
    fc.assert(
      fc.property(
        fc.array(storedMove, { maxLength: 30 }),
        fc.integer({ min: 0, max: 21 }),
        fc.option(fc.integer({ min: 0, max: 21 }), { nil: undefined }),
        (moves, asOf, knownAt) => {
          const model: SquadReadModel = emptyReadModel();
          moves.forEach(({ move: data, valid, known }, i) =>
            applyEvent(model, {
              type: data.type,
              data: { ...data, type: undefined, effectiveOn: day(valid) },
              metadata: {
                reportId: `r${i}`,
                source: { name: 'T' },
                publishedOn: day(known),
                publishedOnApprox: false,
                claimIndex: 0,
                claimCount: 1,
                reportHash: 'h',
              },
              position: BigInt(i + 1),
              stream: 'ledger-main',
            }),
          );
          const q = { asOf: day(asOf), knownAt: knownAt === undefined ? undefined : day(knownAt) };
          for (const club of CLUBS) {
            const viaRoster = squadDepth(model, club, { ...q, formation: '4-3-3' })
              .positions.flatMap((p) => p.players.map((pl) => pl.player))
              .sort();
            const naive = PLAYERS.filter((player) => {
              const view = playerAt(model, player, {
                asOf: 20_000 + asOf,
                knownAt: knownAt === undefined ? undefined : 20_000 + knownAt,
                asOfDate: q.asOf,
              });
              return view?.position === 'CB' && statusAt(view, club, q.asOf).member;
            });
            expect({ club, players: viaRoster }).toEqual({ club, players: naive });
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
