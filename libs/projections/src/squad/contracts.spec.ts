import { contractExpiries, seasonName, seasonOf } from '@squad/projections';
import { modelOf } from '../testing/reports-model';

const registered = (player: string, position: string, club = 'juventus') => ({
  type: 'PlayerRegistered',
  player,
  name: player.toUpperCase(),
  club,
  position,
});
const contract = (player: string, expiresOn: string, club = 'juventus') => ({
  type: 'ContractRecorded',
  player,
  club,
  expiresOn,
});

/**
 * Juventus on 2025-09-01 (season 2025/26): a keeper and a centre-back whose contracts end on
 * 2026-06-30 (the last day of 2025/26), a centre-back whose contract ends on 2026-07-01 (the first
 * of 2026/27), one extended on 2025-08-01 (reported that day) from 2026-06-30 to 2028-06-30, one
 * with no known contract, a striker on loan from Ajax until 2027-05-31, a striker of ours on loan
 * at Marseille until 2026-06-30, and a midfielder whose contract ended before the season.
 */
const m = modelOf([
  {
    publishedOn: '2025-06-01',
    claims: [
      registered('keeper', 'GK'),
      contract('keeper', '2026-06-30'),
      registered('early', 'CB'),
      contract('early', '2026-06-30'),
      registered('late', 'CB'),
      contract('late', '2026-07-01'),
      registered('extended', 'CB'),
      contract('extended', '2026-06-30'),
      registered('unknown', 'CB'),
      registered('loanee', 'ST', 'ajax'),
      contract('loanee', '2029-06-30', 'ajax'),
      { type: 'LoanDeparted', player: 'loanee', toClub: 'juventus', until: '2027-05-31' },
      registered('away', 'ST'),
      contract('away', '2030-06-30'),
      { type: 'LoanDeparted', player: 'away', toClub: 'marseille', until: '2026-06-30' },
      registered('lapsed', 'DM'),
      contract('lapsed', '2025-06-30'),
    ],
  },
  {
    publishedOn: '2025-08-01',
    claims: [{ type: 'ContractExtended', player: 'extended', club: 'juventus', expiresOn: '2028-06-30' }],
  },
]);

type Expiries = ReturnType<typeof contractExpiries>;
const query = (asOf: string, knownAt?: string) =>
  contractExpiries(m, 'juventus', { asOf, ...(knownAt ? { knownAt } : {}), formation: '4-3-3' });
const leavingBySeason = (e: Expiries) => e.seasons.map((s) => [s.season, s.leaving.map((p) => p.player)]);
const remainingAt = (e: Expiries, season: number, position: string) =>
  e.seasons[season].remaining.positions.find((p) => p.position === position)!;

describe('contract seasons', () => {
  it('runs a season from 1 July to 30 June, named by both years', () => {
    expect(seasonOf('2026-06-30')).toBe(2025);
    expect(seasonOf('2026-07-01')).toBe(2026);
    expect(seasonOf('2025-12-31')).toBe(2025);
    expect(seasonOf('2026-01-01')).toBe(2025);
    expect(seasonName(2025)).toBe('2025/26');
    expect(seasonName(2099)).toBe('2099/00');
  });
});

describe(contractExpiries.name, () => {
  it('lists the season containing asOf and the next two, with each expiry in its season (30 June vs 1 July)', () => {
    const e = query('2025-09-01');
    expect(e.seasons.map(({ season, startsOn, endsOn }) => [season, startsOn, endsOn])).toEqual([
      ['2025/26', '2025-07-01', '2026-06-30'],
      ['2026/27', '2026-07-01', '2027-06-30'],
      ['2027/28', '2027-07-01', '2028-06-30'],
    ]);
    expect(leavingBySeason(e)).toEqual([
      ['2025/26', ['early', 'keeper']],
      ['2026/27', ['late', 'loanee']],
      ['2027/28', ['extended']],
    ]);
    expect(e.seasons[0].leaving[0]).toEqual({
      player: 'early',
      name: 'EARLY',
      position: 'CB',
      status: 'available',
      leavesOn: '2026-06-30',
      reason: 'contract-expires',
      contractExpiresOn: '2026-06-30',
    });
    expect(e.seasons[1].leaving[0]).toMatchObject({ player: 'late', leavesOn: '2026-07-01' });
    // a year on, 1 July 2026 is the first day of the first season; 30 June 2026 is before it
    const yearOn = query('2026-09-01');
    expect(yearOn.seasons[0].leaving.map((p) => p.player)).toEqual(['late', 'loanee']);
    expect(yearOn.expired.map((p) => p.player)).toEqual(['early', 'keeper', 'lapsed']);
    // on 1 July 2025 the season is 2025/26 already; on 30 June it is still 2024/25
    expect(query('2025-07-01').seasons[0].season).toBe('2025/26');
    expect(query('2025-06-30').seasons.map((s) => s.season)).toEqual(['2024/25', '2025/26', '2026/27']);
  });

  it('moves an extended contract to its later season, and keeps the earlier expiry before the extension, in both clocks', () => {
    const after = query('2025-09-01');
    expect(after.seasons[2].leaving[0]).toMatchObject({
      player: 'extended',
      leavesOn: '2028-06-30',
      contractExpiresOn: '2028-06-30',
    });
    // as known on 2025-07-15, before the extension was reported: he still leaves in 2025/26
    const believed = query('2025-09-01', '2025-07-15');
    expect(leavingBySeason(believed)).toEqual([
      ['2025/26', ['early', 'extended', 'keeper']],
      ['2026/27', ['late', 'loanee']],
      ['2027/28', []],
    ]);
    expect(believed.seasons[0].leaving[1]).toMatchObject({ player: 'extended', contractExpiresOn: '2026-06-30' });
    // the world on 2025-07-15, before the extension took effect: the same
    expect(leavingBySeason(query('2025-07-15'))[0]).toEqual(['2025/26', ['early', 'extended', 'keeper']]);
  });

  it('lets a loanee leave when his loan ends, with the loan, and brings our own loanee back', () => {
    const e = query('2025-09-01');
    expect(e.seasons[1].leaving[1]).toEqual({
      player: 'loanee',
      name: 'LOANEE',
      position: 'ST',
      registeredAt: 'ajax',
      status: 'on-loan-here',
      leavesOn: '2027-05-31',
      reason: 'loan-ends',
      contractExpiresOn: '2029-06-30',
      loan: { toClub: 'juventus', since: '2025-06-01', until: '2027-05-31' },
    });
    // our striker at Marseille until 30 June 2026 is back for 2026/27: in the squad after 2025/26
    expect(remainingAt(e, 0, 'ST')).toMatchObject({ registered: 2, squad: 2, awayOnLoan: 0, leaving: 0 });
    expect(remainingAt(e, 0, 'ST').players.map((p) => p.player)).toEqual(['away', 'loanee']);
    // after 2026/27, the loanee has gone back to Ajax
    expect(remainingAt(e, 1, 'ST')).toMatchObject({ registered: 1, leaving: 1, verdict: 'short' });
    expect(remainingAt(e, 1, 'ST').players).toEqual([
      { player: 'away', name: 'AWAY', position: 'ST', leavesOn: '2030-06-30' },
    ]);
    // he is away on the day asked (his status), not leaving: his loan ends, his contract does not
    expect(e.seasons.flatMap((s) => s.leaving).map((p) => p.player)).not.toContain('away');
  });

  it('lists players with no known expiry apart, and counts them in every season as staying', () => {
    const e = query('2025-09-01');
    expect(e.expiryUnknown).toEqual([{ player: 'unknown', name: 'UNKNOWN', position: 'CB', status: 'available' }]);
    for (const season of [0, 1, 2]) {
      expect(e.seasons[season].leaving.map((p) => p.player)).not.toContain('unknown');
      expect(remainingAt(e, season, 'CB').players).toContainEqual(
        expect.objectContaining({ player: 'unknown', expiryUnknown: true }),
      );
    }
    // a contract that ended before the first season is neither leaving in it nor remaining
    expect(e.expired).toEqual([
      {
        player: 'lapsed',
        name: 'LAPSED',
        position: 'DM',
        status: 'available',
        leavesOn: '2025-06-30',
        reason: 'contract-expires',
      },
    ]);
    expect([0, 1, 2].map((s) => remainingAt(e, s, 'DM').registered)).toEqual([0, 0, 0]);
  });

  it('tells who is left at each position and line at the end of each season, with the verdict against the formation', () => {
    const e = query('2025-09-01');
    expect(e).toMatchObject({ club: 'juventus', formation: '4-3-3', formationFrom: 'default' });
    const cb = [0, 1, 2].map((s) => {
      const { registered, squad, leaving, need, verdict, players } = remainingAt(e, s, 'CB');
      return { registered, squad, leaving, need, verdict, players: players.map((p) => p.player) };
    });
    expect(cb).toEqual([
      { registered: 3, squad: 3, leaving: 1, need: 4, verdict: 'short', players: ['extended', 'late', 'unknown'] },
      { registered: 2, squad: 2, leaving: 1, need: 4, verdict: 'short', players: ['extended', 'unknown'] },
      { registered: 1, squad: 1, leaving: 1, need: 4, verdict: 'short', players: ['unknown'] },
    ]);
    expect(remainingAt(e, 0, 'GK')).toMatchObject({ registered: 0, leaving: 1, need: 3, verdict: 'short' });
    expect(e.seasons[0].remaining.groups.find((g) => g.group === 'defenders')).toEqual({
      group: 'defenders',
      positions: ['RB', 'CB', 'LB'],
      need: 8,
      leaving: 1,
      registered: 3,
      squad: 3,
      awayOnLoan: 0,
      verdict: 'short',
    });
    // a formation that wants few strikers: one left is enough
    const few = contractExpiries(m, 'juventus', { asOf: '2025-09-01', formation: '3-5-2', formationRequested: true });
    expect(few.formationFrom).toBe('request');
    expect(few.seasons[0].remaining.positions.find((p) => p.position === 'RW')).toMatchObject({
      need: 0,
      registered: 0,
      verdict: 'balanced',
    });
  });

  it('counts our player away on loan past the season as registered but not in the squad', () => {
    const longLoan = modelOf([
      {
        publishedOn: '2025-06-01',
        claims: [
          registered('gone', 'LW'),
          contract('gone', '2030-06-30'),
          { type: 'LoanDeparted', player: 'gone', toClub: 'ajax', until: '2027-06-30' },
          registered('here', 'LW'),
          contract('here', '2030-06-30'),
        ],
      },
    ]);
    const e = contractExpiries(longLoan, 'juventus', { asOf: '2025-09-01', formation: '4-3-3' });
    const lw = e.seasons.map((s) => s.remaining.positions.find((p) => p.position === 'LW')!);
    expect(
      lw.map(({ registered, squad, awayOnLoan, verdict }) => ({ registered, squad, awayOnLoan, verdict })),
    ).toEqual([
      { registered: 2, squad: 1, awayOnLoan: 1, verdict: 'short' },
      { registered: 2, squad: 2, awayOnLoan: 0, verdict: 'balanced' },
      { registered: 2, squad: 2, awayOnLoan: 0, verdict: 'balanced' },
    ]);
    expect(lw[0].players).toContainEqual(expect.objectContaining({ player: 'gone', awayOnLoan: true }));
  });
});
