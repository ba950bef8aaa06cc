import type { IsoDate } from '@squad/domain';
import { outgoingCandidates, playerDetail, squadDepth, STALE_AFTER_DAYS, targetList } from '@squad/projections';
import { modelOf, type TestReport } from '../testing/reports-model';

const registered = (player: string, club: string, position = 'CB') => ({
  type: 'PlayerRegistered',
  player,
  name: player,
  club,
  position,
  effectiveOn: '2024-07-01',
});

const REPORTS: TestReport[] = [
  {
    publishedOn: '2024-07-01',
    claims: [
      registered('bremer', 'juventus'),
      registered('cabal', 'juventus', 'LB'),
      registered('rugani', 'juventus'),
      registered('kelly', 'juventus'),
      registered('balerdi', 'marseille'),
      { type: 'OutgoingCandidateFlagged', club: 'juventus', player: 'bremer', reason: 'long injury' },
      { type: 'OutgoingCandidateFlagged', club: 'marseille', player: 'balerdi', reason: 'a big offer' },
    ],
  },
  // loans: one with no end given, one until 2026-06-30
  {
    publishedOn: '2024-09-01',
    claims: [
      { type: 'LoanDeparted', player: 'rugani', toClub: 'ajax' },
      { type: 'LoanDeparted', player: 'kelly', toClub: 'ajax', until: '2026-06-30' },
    ],
  },
  // injuries: one with no expected return, one expected back on 2025-06-30
  {
    publishedOn: '2025-01-10',
    claims: [
      { type: 'PlayerInjured', player: 'bremer', injury: 'ACL' },
      { type: 'PlayerInjured', player: 'cabal', injury: 'hamstring', expectedReturnOn: '2025-06-30' },
    ],
  },
  // pursuits: Juventus' stays open; Atlético's ends three days later
  {
    publishedOn: '2025-06-17',
    claims: [
      { type: 'InterestDeclared', club: 'juventus', player: 'balerdi', priority: 'top' },
      { type: 'InterestDeclared', club: 'atletico-madrid', player: 'balerdi' },
    ],
  },
  { publishedOn: '2025-06-20', claims: [{ type: 'PursuitAbandoned', club: 'atletico-madrid', player: 'balerdi' }] },
  // a later update of Bremer's injury: known from 2025-07-20 only
  { publishedOn: '2025-07-20', claims: [{ type: 'PlayerInjured', player: 'bremer', injury: 'ACL, still out' }] },
  { publishedOn: '2025-09-01', claims: [{ type: 'PlayerReturnedFromInjury', player: 'bremer' }] },
  {
    publishedOn: '2025-10-01',
    claims: [{ type: 'TalksRequested', club: 'juventus', player: 'balerdi', withClub: 'marseille' }],
  },
];

describe('staleness', () => {
  const m = modelOf(REPORTS);
  const depth = (asOf: IsoDate, knownAt?: IsoDate) => squadDepth(m, 'juventus', { asOf, knownAt, formation: '4-3-3' });
  const entry = (asOf: IsoDate, player: string, knownAt?: IsoDate) =>
    depth(asOf, knownAt)
      .positions.flatMap((p) => p.players)
      .find((p) => p.player === player);

  it('writes the horizons down', () => {
    expect(STALE_AFTER_DAYS).toEqual({ injury: 60, pursuit: 90, loan: 365 });
  });

  describe('an injury', () => {
    it('reported on 2025-01-10 with no news is current on 2025-02-01 and stale on 2025-08-01 (as known before the update)', () => {
      expect(entry('2025-02-01', 'bremer')?.injury).toEqual({
        since: '2025-01-10',
        injury: 'ACL',
        lastNewsOn: '2025-01-10',
        stale: false,
      });
      expect(entry('2025-08-01', 'bremer', '2025-07-01')?.injury).toMatchObject({
        lastNewsOn: '2025-01-10',
        stale: true,
      });
    });

    it('is stale once more than 60 days passed without news, not on the 60th', () => {
      expect(entry('2025-03-11', 'bremer')?.injury?.stale).toBe(false);
      expect(entry('2025-03-12', 'bremer')?.injury?.stale).toBe(true);
    });

    it('takes a later update as news only when it is known: both clocks hold', () => {
      const before = playerDetail(m, 'bremer', { asOf: '2025-08-01', knownAt: '2025-07-19' });
      expect(before?.injury).toMatchObject({ injury: 'ACL', lastNewsOn: '2025-01-10', stale: true });
      const after = playerDetail(m, 'bremer', { asOf: '2025-08-01', knownAt: '2025-07-20' });
      expect(after?.injury).toMatchObject({ injury: 'ACL, still out', lastNewsOn: '2025-07-20', stale: false });
      // as known now, the same
      expect(playerDetail(m, 'bremer', { asOf: '2025-08-01' })?.injury).toMatchObject({ stale: false });
    });

    it('still counts the player injured while stale', () => {
      const stale = depth('2025-08-01', '2025-07-01');
      expect(stale.positions.find((p) => p.position === 'CB')).toMatchObject({ injured: 1 });
      expect(entry('2025-08-01', 'bremer', '2025-07-01')?.status).toBe('injured');
      // and says so wherever his status is shown
      const outgoing = outgoingCandidates(m, 'juventus', { asOf: '2025-08-01', knownAt: '2025-07-01' });
      expect(outgoing.find((o) => o.player === 'bremer')).toMatchObject({
        status: 'injured',
        injury: { lastNewsOn: '2025-01-10', stale: true },
      });
    });

    it('is cleared by his return', () => {
      expect(entry('2025-08-31', 'bremer')?.injury).toBeDefined();
      const back = entry('2025-12-01', 'bremer');
      expect(back?.status).toBe('available');
      expect(back?.injury).toBeUndefined();
      expect(playerDetail(m, 'bremer', { asOf: '2025-12-01' })?.injury).toBeUndefined();
    });

    it('with an expected return is not stale before that day, whatever the silence; after it, it is', () => {
      // 111 days without news, but he was expected back on 2025-06-30
      expect(entry('2025-05-01', 'cabal')?.injury).toMatchObject({ expectedReturnOn: '2025-06-30', stale: false });
      expect(entry('2025-06-30', 'cabal')?.injury?.stale).toBe(false);
      expect(entry('2025-07-01', 'cabal')?.injury).toMatchObject({ lastNewsOn: '2025-01-10', stale: true });
    });
  });

  describe('a pursuit', () => {
    const target = (club: string, asOf: IsoDate, knownAt?: IsoDate) =>
      targetList(m, club, { asOf, knownAt }).find((t) => t.player === 'balerdi');

    it('goes stale 90 days after its latest report, and stays listed', () => {
      expect(target('juventus', '2025-09-15')).toMatchObject({ open: true, lastNewsOn: '2025-06-17', stale: false });
      expect(target('juventus', '2025-09-16')).toMatchObject({
        stage: 'interest',
        open: true,
        lastNewsOn: '2025-06-17',
        stale: true,
      });
    });

    it("is flagged wherever it is shown: the player document, his club's squad depth and outgoing list", () => {
      const asOf = '2025-09-20';
      expect(playerDetail(m, 'balerdi', { asOf })?.pursuedBy).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ club: 'juventus', stage: 'interest', lastNewsOn: '2025-06-17', stale: true }),
        ]),
      );
      const marseille = squadDepth(m, 'marseille', { asOf, formation: '4-3-3' });
      const balerdi = marseille.positions.flatMap((p) => p.players).find((p) => p.player === 'balerdi');
      expect(balerdi?.wantedBy).toEqual([
        { club: 'juventus', stage: 'interest', lastNewsOn: '2025-06-17', stale: true },
      ]);
      expect(outgoingCandidates(m, 'marseille', { asOf })[0].wantedBy).toEqual([
        { club: 'juventus', stage: 'interest', lastNewsOn: '2025-06-17', stale: true },
      ]);
      expect(depth(asOf).positions.find((p) => p.position === 'CB')?.incomingTargets).toEqual([
        {
          player: 'balerdi',
          name: 'balerdi',
          stage: 'interest',
          priority: 'top',
          lastNewsOn: '2025-06-17',
          stale: true,
        },
      ]);
    });

    it('is current again with news, as soon as that news is known', () => {
      expect(target('juventus', '2025-10-05')).toMatchObject({
        stage: 'talks-requested',
        lastNewsOn: '2025-10-01',
        stale: false,
      });
      expect(target('juventus', '2025-10-05', '2025-09-30')).toMatchObject({
        stage: 'interest',
        lastNewsOn: '2025-06-17',
        stale: true,
      });
    });

    it('once ended is an outcome, never stale', () => {
      expect(target('atletico-madrid', '2025-12-01')).toMatchObject({
        stage: 'abandoned',
        open: false,
        lastNewsOn: '2025-06-20',
        stale: false,
      });
    });
  });

  describe('a loan', () => {
    it('with no until is stale after a season without news', () => {
      expect(entry('2025-09-01', 'rugani')?.loan).toEqual({
        toClub: 'ajax',
        since: '2024-09-01',
        lastNewsOn: '2024-09-01',
        stale: false,
      });
      expect(entry('2025-09-02', 'rugani')).toMatchObject({
        status: 'away-on-loan',
        loan: { lastNewsOn: '2024-09-01', stale: true },
      });
      expect(playerDetail(m, 'rugani', { asOf: '2025-09-02' })?.loan).toMatchObject({ stale: true });
    });

    it('with an until is current until then, and stale past it with no return reported', () => {
      expect(entry('2026-06-30', 'kelly')?.loan).toMatchObject({ until: '2026-06-30', stale: false });
      // past its until the squad takes him back; his document shows the loan no one reported ended
      expect(playerDetail(m, 'kelly', { asOf: '2026-07-01' })).toMatchObject({
        status: 'available',
        loan: { until: '2026-06-30', lastNewsOn: '2024-09-01', stale: true },
      });
    });
  });

  describe('imported history', () => {
    // a data provider's records, dated by their window (approximate), decades before asOf
    const imported = modelOf([
      {
        publishedOn: '1995-07-01',
        approx: true,
        kind: 'data',
        claims: [
          registered('old-timer', 'ajax', 'ST'),
          { type: 'LoanDeparted', player: 'old-timer', toClub: 'juventus' },
        ],
      },
      {
        publishedOn: '1995-07-01',
        approx: true,
        claims: [{ type: 'InterestDeclared', club: 'milan', player: 'old-timer' }],
      },
    ]);

    it('is stale decades later, dated by its window day, marked approximate', () => {
      const old = playerDetail(imported, 'old-timer', { asOf: '2025-06-01' });
      expect(old?.loan).toMatchObject({ lastNewsOn: '1995-07-01', lastNewsOnApprox: true, stale: true });
      expect(old?.pursuedBy).toEqual([
        expect.objectContaining({
          club: 'milan',
          stage: 'interest',
          lastNewsOn: '1995-07-01',
          lastNewsOnApprox: true,
          stale: true,
        }),
      ]);
      // in its own day, current
      expect(playerDetail(imported, 'old-timer', { asOf: '1995-08-01' })?.loan).toMatchObject({ stale: false });
    });
  });
});
