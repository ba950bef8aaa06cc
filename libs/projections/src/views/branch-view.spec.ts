import fc from 'fast-check';
import {
  applyEvent,
  BranchView,
  clubSeenBy,
  emptyReadModel,
  factBefore,
  mergeFacts,
  noteClubSighting,
  outgoingCandidates,
  playerDetail,
  playerTimeline,
  pursuitHistory,
  reportVisibleAt,
  squadDepth,
  targetList,
  visibleAt,
  type Fact,
  type ForkPoint,
  type SquadReadModel,
  type StoredSquadEvent,
} from '@squad/projections';
import { CLUBS, day, FIRST_DAY, PLAYERS, reportArb, storedEvents } from '../testing/branch-arbitraries';

const CANONICAL = 'ledger-main';
const BRANCH = 'ledger-branch-what-if';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe(BranchView.name, () => {
  describe('visibility at the fork', () => {
    const fact = (position: number, knownFrom: number): Fact => ({ position, knownFrom, validFrom: 0 });

    it('keeps canonical facts stored at or before a position fork', () => {
      expect(visibleAt({ position: 10 }, fact(10, 99))).toBe(true);
      expect(visibleAt({ position: 10 }, fact(11, 0))).toBe(false);
    });

    it('keeps, for a record-time fork, facts learned by that day and stored before the branch was created', () => {
      const fork: ForkPoint = { position: 50, knownAt: 7 };
      expect(visibleAt(fork, fact(3, 7))).toBe(true);
      expect(visibleAt(fork, fact(3, 8))).toBe(false);
      expect(visibleAt(fork, fact(51, 1))).toBe(false); // recorded after the branch, even though published before
    });

    it('sees a report whole or not at all, by its first claim', () => {
      const report = {
        reportId: 'r',
        source: { name: 's' },
        publishedOn: '2025-06-17',
        publishedOnApprox: false,
        position: 4,
        claimCount: 3,
      };
      expect(reportVisibleAt({ position: 4 }, report)).toBe(true);
      expect(reportVisibleAt({ position: 3 }, report)).toBe(false);
      expect(reportVisibleAt({ position: 9, knownAt: 20_256 }, report)).toBe(true); // 2025-06-17
      expect(reportVisibleAt({ position: 9, knownAt: 20_255 }, report)).toBe(false);
    });
  });

  describe(mergeFacts.name, () => {
    const anyFact = fc.record({
      validFrom: fc.integer({ min: 0, max: 10 }),
      knownFrom: fc.integer({ min: 0, max: 10 }),
    });
    const order = (a: Fact, b: Fact) => (factBefore(a, b) ? -1 : factBefore(b, a) ? 1 : 0);

    it('equals filtering the canonical facts and sorting them with the branch facts, for any fork', () => {
      fc.assert(
        fc.property(
          fc.array(anyFact, { maxLength: 60, size: 'max' }),
          fc.array(anyFact, { maxLength: 30, size: 'max' }),
          fc.integer({ min: 0, max: 60 }),
          fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
          (canonicalRaw, ownRaw, forkPosition, knownAt) => {
            const canonical = canonicalRaw.map((f, i) => ({ ...f, position: i + 1 })).sort(order);
            const own = ownRaw.map((f, i) => ({ ...f, position: 1000 + i })).sort(order);
            const fork = { position: forkPosition, knownAt };
            const naive = [
              ...canonical.filter(
                (f) => f.position <= forkPosition && (knownAt === undefined || f.knownFrom <= knownAt),
              ),
              ...own,
            ].sort(order);
            expect(mergeFacts(canonical, fork, own)).toEqual(naive);
          },
        ),
        { numRuns: 500 },
      );
    });
  });

  describe('queries on a branch', () => {
    const build = (stream: string, events: readonly StoredSquadEvent[]): SquadReadModel => {
      const model = emptyReadModel(stream);
      for (const event of events) applyEvent(model, { ...event, stream });
      return model;
    };
    /** Orders that follow index insertion, not meaning: compared as sets. */
    const normalised = (depth: Json) => ({
      ...depth,
      positions: depth.positions.map((p: Json) => ({
        ...p,
        incomingTargets: [...p.incomingTargets].sort((a: Json, b: Json) => a.player.localeCompare(b.player)),
      })),
    });
    const detail = (value: Json) =>
      value && { ...value, pursuedBy: [...value.pursuedBy].sort((a: Json, b: Json) => a.club.localeCompare(b.club)) };

    /** Every question a branch answers, as the same questions to a model holding just the events the branch sees. */
    function expectSameAnswers(
      branch: BranchView,
      naive: SquadReadModel,
      asOf: number,
      knownAt: number | undefined,
    ): void {
      const q = { asOf: day(asOf), knownAt: knownAt === undefined ? undefined : day(knownAt) };
      // the clubs a branch knows (its club list, its 404s) are those the events it sees name
      expect([...branch.clubs()].sort()).toEqual([...naive.clubs].sort());
      for (const club of CLUBS)
        expect({ club, known: branch.hasClub(club) }).toEqual({ club, known: naive.clubs.has(club) });
      for (const club of CLUBS) {
        expect({ club, depth: normalised(squadDepth(branch, club, { ...q, formation: '4-3-3' })) }).toEqual({
          club,
          depth: normalised(squadDepth(naive, club, { ...q, formation: '4-3-3' })),
        });
        expect({ club, targets: targetList(branch, club, q) }).toEqual({ club, targets: targetList(naive, club, q) });
        expect({ club, outgoing: outgoingCandidates(branch, club, q) }).toEqual({
          club,
          outgoing: outgoingCandidates(naive, club, q),
        });
      }
      for (const player of PLAYERS) {
        expect({ player, detail: detail(playerDetail(branch, player, q)) }).toEqual({
          player,
          detail: detail(playerDetail(naive, player, q)),
        });
        expect({ player, timeline: playerTimeline(branch, player, q) }).toEqual({
          player,
          timeline: playerTimeline(naive, player, q),
        });
      }
    }

    it('answers like a model rebuilt from the canonical events visible at the fork plus the branch events, as the branch grows', () => {
      fc.assert(
        fc.property(
          fc.array(reportArb, { maxLength: 14, size: 'max' }),
          fc.array(reportArb, { maxLength: 6, size: 'max' }),
          fc.nat(),
          fc.option(fc.integer({ min: 0, max: 21 }), { nil: undefined }),
          fc.array(
            fc.tuple(fc.integer({ min: 0, max: 21 }), fc.option(fc.integer({ min: 0, max: 21 }), { nil: undefined })),
            { minLength: 1, maxLength: 3 },
          ),
          (canonicalReports, branchReports, forkSeed, forkKnownAt, questions) => {
            const canonicalEvents = storedEvents(canonicalReports, CANONICAL, 1, 'c');
            // a position fork falls between reports (the registry moves it there); a record-time fork keeps everything stored so far
            const boundaries = [
              0,
              ...canonicalEvents
                .filter((e, i) => canonicalEvents[i + 1]?.reportId !== e.reportId)
                .map((e) => Number(e.position)),
            ];
            const fork: ForkPoint =
              forkKnownAt === undefined
                ? { position: boundaries[forkSeed % boundaries.length] }
                : { position: canonicalEvents.length, knownAt: FIRST_DAY + forkKnownAt };
            // the branch is created after canonical history so far; more canonical reports come after it
            const later = storedEvents(canonicalReports.slice(0, 3), CANONICAL, canonicalEvents.length + 1, 'late');
            const branchEvents = storedEvents(branchReports, BRANCH, canonicalEvents.length + later.length + 1, 'b');

            const canonical = build(CANONICAL, [...canonicalEvents, ...later]);
            const own = emptyReadModel(BRANCH);
            const branch = new BranchView(canonical, fork, own);
            const visible = canonicalEvents.filter(
              (e) =>
                Number(e.position) <= fork.position &&
                (fork.knownAt === undefined || FIRST_DAY + e.known <= fork.knownAt),
            );

            // half the branch first, questions (which fill the merge cache), then the rest
            const half = Math.floor(branchEvents.length / 2);
            for (const event of branchEvents.slice(0, half)) applyEvent(own, event);
            for (const [asOf, knownAt] of questions)
              expectSameAnswers(branch, build(CANONICAL, [...visible, ...branchEvents.slice(0, half)]), asOf, knownAt);
            for (const event of branchEvents.slice(half)) applyEvent(own, event);
            for (const [asOf, knownAt] of questions)
              expectSameAnswers(branch, build(CANONICAL, [...visible, ...branchEvents]), asOf, knownAt);
          },
        ),
        { numRuns: 300 },
      );
    });

    it('reads an entity untouched since the fork from the canonical model itself, checkpoints included', () => {
      const events = storedEvents(
        [{ known: 1, claims: [{ claim: { type: 'PlayerInjured', player: 'a' }, valid: 1 }] }],
        CANONICAL,
        1,
        'c',
      );
      const canonical = build(CANONICAL, events);
      const branch = new BranchView(canonical, { position: 1 }, emptyReadModel(BRANCH));
      expect(branch.playerHistory('a')).toBe(canonical.players.get('a'));
      expect(new BranchView(canonical, { position: 0 }, emptyReadModel(BRANCH)).playerHistory('a')).toBeUndefined();
    });

    it('freezes canonical history at a position when it has no model of its own (a replay): later facts stay out', () => {
      const first = storedEvents(
        [{ known: 1, claims: [{ claim: { type: 'InterestDeclared', club: 'juventus', player: 'a' }, valid: 1 }] }],
        CANONICAL,
        1,
        'c',
      );
      const canonical = build(CANONICAL, first);
      const frozen = new BranchView(canonical, { position: 1 }, undefined, { position: () => 1 });
      const before = targetList(frozen, 'juventus', { asOf: day(5) });
      expect(frozen.pursuitHistory('juventus', 'a')).toBe(pursuitHistory(canonical, 'juventus', 'a')); // nothing new: read straight through
      applyEvent(canonical, {
        ...storedEvents(
          [
            {
              known: 2,
              claims: [
                {
                  claim: { type: 'BidSubmitted', club: 'juventus', player: 'a', toClub: 'ajax', amountEur: 5 },
                  valid: 2,
                },
              ],
            },
          ],
          CANONICAL,
          2,
          'd',
        )[0],
      });
      expect(targetList(canonical, 'juventus', { asOf: day(5) })[0]).toMatchObject({ stage: 'bid' });
      expect(targetList(frozen, 'juventus', { asOf: day(5) })).toEqual(before);
      expect(frozen.position).toBe(1);
      expect(frozen.reportsPublishedOn(FIRST_DAY + 2)).toEqual([]);
    });

    it('freezes a branch at a position of its own (a replay): its facts and reports stored after it stay out, though its model catches up', () => {
      const canonical = build(
        CANONICAL,
        storedEvents(
          [
            {
              known: 1,
              claims: [
                { claim: { type: 'PlayerRegistered', player: 'a', club: 'juventus', position: 'CB' }, valid: 1 },
              ],
            },
          ],
          CANONICAL,
          1,
          'c',
        ),
      );
      const own = emptyReadModel(BRANCH);
      const branchEvents = storedEvents(
        [
          { known: 2, claims: [{ claim: { type: 'PlayerInjured', player: 'a' }, valid: 2 }] },
          { known: 3, claims: [{ claim: { type: 'PlayerReturnedFromInjury', player: 'a' }, valid: 3 }] },
        ],
        BRANCH,
        100,
        'b',
      );
      applyEvent(own, branchEvents[0]);
      const frozen = new BranchView(canonical, { position: 1 }, own, {
        ownPosition: own.position,
        position: () => 100,
      });
      const before = squadDepth(frozen, 'juventus', { asOf: day(5), formation: '4-3-3' });
      expect(before.totals.injured).toBe(1);
      applyEvent(own, branchEvents[1]);
      expect(
        squadDepth(new BranchView(canonical, { position: 1 }, own), 'juventus', { asOf: day(5), formation: '4-3-3' })
          .totals.injured,
      ).toBe(0);
      expect(squadDepth(frozen, 'juventus', { asOf: day(5), formation: '4-3-3' })).toEqual(before);
      expect(frozen.playerHistory('a')!.facts.map((f) => f.type)).toEqual(['PlayerRegistered', 'PlayerInjured']);
      expect(frozen.reportsPublishedOn(FIRST_DAY + 3)).toEqual([]);
      expect(frozen.report('b1')).toBeUndefined();
      expect(frozen.report('b0')).toBeDefined();
      expect(frozen.position).toBe(100);
    });

    it('does not know a club first named in canonical history after the fork, until the branch names it', () => {
      const interest = (club: string, known: number) => ({
        known,
        claims: [{ claim: { type: 'InterestDeclared', club, player: 'a' } as never, valid: 1 }],
      });
      const canonical = build(
        CANONICAL,
        storedEvents([interest('juventus', 1), interest('ajax', 2)], CANONICAL, 1, 'c'),
      );
      const own = emptyReadModel(BRANCH);
      const branch = new BranchView(canonical, { position: 1 }, own);
      expect(branch.hasClub('juventus')).toBe(true);
      expect(branch.hasClub('ajax')).toBe(false);
      expect([...branch.clubs()]).toEqual(['juventus']);
      expect([...new BranchView(canonical, { position: 1 }).clubs()]).toEqual(['juventus']); // a replay frozen there too
      applyEvent(own, storedEvents([interest('ajax', 3)], BRANCH, 3, 'b')[0]);
      expect(branch.hasClub('ajax')).toBe(true);
      expect([...branch.clubs()].sort()).toEqual(['ajax', 'juventus']);
    });

    it('tells, for a record-time fork, whether a club was named in a report published by then, whatever the order reports arrived in', () => {
      const sightings = new Map<string, number[]>();
      // named at positions 1..4, published on days 9, 12, 5, 7
      for (const [position, known] of [
        [1, 9],
        [2, 12],
        [3, 5],
        [4, 7],
      ])
        noteClubSighting(sightings, 'ajax', position, known);
      const steps = sightings.get('ajax');
      expect(steps).toEqual([1, 9, 3, 5]);
      const naive = (position: number, knownAt?: number) =>
        [
          [1, 9],
          [2, 12],
          [3, 5],
          [4, 7],
        ].some(([p, k]) => p <= position && (knownAt === undefined || k <= knownAt));
      for (let position = 0; position <= 5; position++) {
        for (const knownAt of [undefined, 4, 5, 6, 8, 9, 10, 12, 13])
          expect({ position, knownAt, seen: clubSeenBy(steps, position, knownAt) }).toEqual({
            position,
            knownAt,
            seen: naive(position, knownAt),
          });
      }
      expect(clubSeenBy(undefined, 10)).toBe(false);
    });

    it('never changes the canonical model', () => {
      const events = storedEvents(
        [{ known: 1, claims: [{ claim: { type: 'InterestDeclared', club: 'juventus', player: 'a' }, valid: 1 }] }],
        CANONICAL,
        1,
        'c',
      );
      const canonical = build(CANONICAL, events);
      const own = emptyReadModel(BRANCH);
      const branch = new BranchView(canonical, { position: 1 }, own);
      applyEvent(
        own,
        storedEvents(
          [
            {
              known: 2,
              claims: [
                {
                  claim: { type: 'BidSubmitted', club: 'juventus', player: 'a', toClub: 'ajax', amountEur: 5 },
                  valid: 2,
                },
              ],
            },
          ],
          BRANCH,
          2,
          'b',
        )[0],
      );
      expect(targetList(branch, 'juventus', { asOf: day(3) })[0]).toMatchObject({ stage: 'bid' });
      expect(targetList(canonical, 'juventus', { asOf: day(3) })[0]).toMatchObject({ stage: 'interest' });
      expect(pursuitHistory(canonical, 'juventus', 'a')!.facts).toHaveLength(1);
      // and a canonical model ignores branch events altogether, though its position moves on
      applyEvent(canonical, {
        ...storedEvents(
          [{ known: 3, claims: [{ claim: { type: 'PlayerInjured', player: 'a' }, valid: 3 }] }],
          BRANCH,
          3,
          'x',
        )[0],
      });
      expect(canonical.players.get('a')!.facts).toHaveLength(1);
      expect(canonical.position).toBe(3);
    });
  });
});
