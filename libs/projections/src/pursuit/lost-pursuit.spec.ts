import type { IsoDate } from '@squad/domain';
import { playerDetail, targetList } from '@squad/projections';
import { modelOf, type TestReport } from '../testing/reports-model';

const registered = (player: string, club: string) => ({
  type: 'PlayerRegistered',
  player,
  name: player,
  club,
  position: 'CB',
  effectiveOn: '2025-01-01',
});

/**
 * Juventus (a bid) and Marseille (interest) pursue Balerdi at Roma from June; Napoli sign him on
 * 1 July, reported on 5 July; Ajax's interest begins after the move, in Naples.
 */
const REPORTS: TestReport[] = [
  { publishedOn: '2025-01-01', claims: [registered('balerdi', 'roma'), registered('kalulu', 'roma')] },
  {
    publishedOn: '2025-06-01',
    claims: [
      { type: 'InterestDeclared', club: 'juventus', player: 'balerdi', priority: 'top' },
      { type: 'InterestDeclared', club: 'marseille', player: 'balerdi', priority: 'high' },
      { type: 'InterestDeclared', club: 'marseille', player: 'kalulu', priority: 'high' },
    ],
  },
  {
    publishedOn: '2025-06-10',
    claims: [{ type: 'BidSubmitted', club: 'juventus', player: 'balerdi', toClub: 'roma', amountEur: 25_000_000 }],
  },
  {
    publishedOn: '2025-07-05',
    claims: [
      { type: 'TransferCompleted', player: 'balerdi', fromClub: 'roma', toClub: 'napoli', effectiveOn: '2025-07-01' },
      { type: 'TransferCompleted', player: 'kalulu', fromClub: 'roma', toClub: 'marseille', effectiveOn: '2025-07-01' },
    ],
  },
  {
    publishedOn: '2025-07-10',
    claims: [{ type: 'InterestDeclared', club: 'ajax', player: 'balerdi', priority: 'medium' }],
  },
];

describe('a pursuit of a player who joins another club is lost', () => {
  const m = modelOf(REPORTS);
  const target = (club: string, player: string, asOf: IsoDate, knownAt?: IsoDate) =>
    targetList(m, club, { asOf, knownAt }).find((t) => t.player === player);

  it('given an open bid, when he joins another club, then the bid is lost to that club, with the move cited', () => {
    expect(target('juventus', 'balerdi', '2025-06-30')).toMatchObject({ stage: 'bid', open: true });
    const lost = target('juventus', 'balerdi', '2025-07-10');
    expect(lost).toMatchObject({
      stage: 'lost',
      open: false,
      lostTo: { club: 'napoli', on: '2025-07-01', publishedOn: '2025-07-05' },
      // the bid stays in the record of what was tried
      lastBid: { amountEur: 25_000_000, on: '2025-06-10' },
    });
    expect(target('marseille', 'balerdi', '2025-07-10')).toMatchObject({ stage: 'lost', lostTo: { club: 'napoli' } });
  });

  it('given the move not yet published, when asked as known before it, then the bid is still open (both clocks)', () => {
    expect(target('juventus', 'balerdi', '2025-07-02', '2025-07-04')).toMatchObject({ stage: 'bid', open: true });
    expect(target('juventus', 'balerdi', '2025-07-02', '2025-07-05')).toMatchObject({ stage: 'lost' });
  });

  it('given he joins the pursuer, then it is signed, not lost', () => {
    expect(target('marseille', 'kalulu', '2025-07-10')).toMatchObject({ stage: 'signed', open: false });
    expect(target('marseille', 'kalulu', '2025-07-10')).not.toHaveProperty('lostTo');
  });

  it('given a pursuit begun after his move, then it is open: a club going after him where he is now', () => {
    expect(target('ajax', 'balerdi', '2025-07-15')).toMatchObject({ stage: 'interest', open: true });
    // and a lost pursuer is no rival of it
    expect(target('ajax', 'balerdi', '2025-07-15')?.rivals).toEqual([]);
  });

  it("shows the loss on the player's pursuers", () => {
    const balerdi = playerDetail(m, 'balerdi', { asOf: '2025-07-15' });
    const stages = Object.fromEntries((balerdi?.pursuedBy ?? []).map((p) => [p.club, p.stage]));
    expect(stages).toEqual({ ajax: 'interest', juventus: 'lost', marseille: 'lost', napoli: 'signed' });
    expect(balerdi?.pursuedBy.find((p) => p.club === 'juventus')).toMatchObject({
      lostTo: { club: 'napoli', on: '2025-07-01' },
    });
  });
});
