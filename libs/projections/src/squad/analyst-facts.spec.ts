import {
  applyEvent,
  clubDetail,
  emptyReadModel,
  outgoingCandidates,
  playerDetail,
  squadDepth,
  targetList,
  type SquadReadModel,
} from '@squad/projections';
import { day, storedEvents, type GeneratedReport } from '../testing/branch-arbitraries';

const CANONICAL = 'ledger-main';
const claim = (fields: Record<string, unknown>, valid: number) => ({
  claim: fields as { type: string } & Record<string, unknown>,
  valid,
});

/**
 * Juventus and Marseille over 40 days: Tudor appointed with his formation (day 0) and sacked
 * (day 30); Balerdi at Marseille, captain, not for sale, with a contract extended on day 10;
 * Rugani at Juventus, flagged to leave, wanted by Marseille; Juventus expects to come back for
 * Balerdi if Tudor stays.
 */
const REPORTS: GeneratedReport[] = [
  {
    known: 0,
    claims: [
      claim({ type: 'ManagerAppointed', club: 'juventus', manager: 'Igor Tudor', formation: '3-4-2-1' }, 0),
      claim(
        { type: 'PlayerRegistered', player: 'balerdi', name: 'Leonardo Balerdi', club: 'marseille', position: 'CB' },
        0,
      ),
      claim(
        {
          type: 'PlayerProfileReported',
          player: 'balerdi',
          birthDate: '1999-01-26',
          nationality: 'Argentina',
          internationalCaps: 12,
          captainOf: 'marseille',
        },
        0,
      ),
      claim({ type: 'ContractRecorded', player: 'balerdi', club: 'marseille', expiresOn: '2070-06-30' }, 0),
      claim({ type: 'MarketValueReported', player: 'balerdi', valueEur: 20_000_000 }, 0),
      claim(
        { type: 'PlayerRegistered', player: 'rugani', name: 'Daniele Rugani', club: 'juventus', position: 'CB' },
        0,
      ),
      claim({ type: 'PlayerProfileReported', player: 'rugani', birthYear: 1994 }, 0),
      claim({ type: 'OutgoingCandidateFlagged', club: 'juventus', player: 'rugani', reason: 'defence saturated' }, 0),
    ],
  },
  {
    known: 5,
    claims: [
      claim({ type: 'InterestDeclared', club: 'juventus', player: 'balerdi', priority: 'top' }, 5),
      claim({ type: 'NotForSale', club: 'marseille', player: 'balerdi', reason: 'no plan to sell' }, 5),
      claim({ type: 'InterestDeclared', club: 'marseille', player: 'rugani' }, 5),
      claim({ type: 'BidSubmitted', club: 'marseille', player: 'rugani', toClub: 'juventus', amountEur: 4_000_000 }, 5),
    ],
  },
  {
    known: 10,
    claims: [
      claim({ type: 'ContractExtended', player: 'balerdi', club: 'marseille', expiresOn: '2071-06-30' }, 10),
      claim(
        {
          type: 'InterestRenewalExpected',
          club: 'juventus',
          player: 'balerdi',
          expectedFrom: day(100),
          condition: 'if Tudor stays',
          dependsOnManager: 'Igor Tudor',
        },
        10,
      ),
    ],
  },
  {
    known: 30,
    claims: [claim({ type: 'ManagerDeparted', club: 'juventus', manager: 'Igor Tudor', reason: 'sacked' }, 30)],
  },
];

function model(): SquadReadModel {
  const built = emptyReadModel(CANONICAL);
  for (const event of storedEvents(REPORTS, CANONICAL, 1, 'r')) applyEvent(built, event);
  return built;
}

describe('analyst facts: managers, contracts, profiles, inbound interest', () => {
  const m = model();

  it('tells the manager and his formation, then the departure; squad depth measures against his formation while he is there', () => {
    expect(clubDetail(m, 'juventus', { asOf: day(20) }).manager).toMatchObject({
      name: 'Igor Tudor',
      formation: '3-4-2-1',
    });
    expect(squadDepth(m, 'juventus', { asOf: day(20), formation: '4-3-3' })).toMatchObject({
      formation: '3-4-2-1',
      formationFrom: 'manager',
    });
    // a formation the client asks for wins
    expect(squadDepth(m, 'juventus', { asOf: day(20), formation: '3-5-2', formationRequested: true })).toMatchObject({
      formation: '3-5-2',
      formationFrom: 'request',
    });
    const after = clubDetail(m, 'juventus', { asOf: day(31) });
    expect(after.manager).toBeUndefined();
    expect(after.formerManager).toMatchObject({ name: 'Igor Tudor', until: day(30), reason: 'sacked', reportId: 'r3' });
    expect(squadDepth(m, 'juventus', { asOf: day(31), formation: '4-3-3' })).toMatchObject({
      formationFrom: 'default',
    });
    // as known before the sacking was reported, he is still in charge
    expect(clubDetail(m, 'juventus', { asOf: day(31), knownAt: day(29) }).manager?.name).toBe('Igor Tudor');
  });

  it('extends a contract, keeping the first expiry in history, and shows age, captaincy and the stance not to sell', () => {
    expect(playerDetail(m, 'balerdi', { asOf: day(5) })?.contract).toEqual({
      club: 'marseille',
      expiresOn: '2070-06-30',
    });
    const later = playerDetail(m, 'balerdi', { asOf: day(12) });
    expect(later?.contract).toEqual({ club: 'marseille', expiresOn: '2071-06-30', extendedOn: day(10) });
    expect(later).toMatchObject({
      birthDate: '1999-01-26',
      birthYear: 1999,
      internationalCaps: 12,
      captaincy: { club: 'marseille', since: day(0) },
      notForSale: { club: 'marseille', since: day(5), reason: 'no plan to sell', reportId: 'r1' },
    });
    const marseille = squadDepth(m, 'marseille', { asOf: day(12), formation: '4-3-3' });
    const entry = marseille.positions.find((p) => p.position === 'CB')!.players[0];
    expect(entry).toMatchObject({
      player: 'balerdi',
      nationality: 'Argentina',
      contractExpiresOn: '2071-06-30',
      captain: true,
      wantedBy: [{ club: 'juventus', stage: 'interest' }],
    });
    expect(typeof entry.age).toBe('number');
    expect(entry.ageApprox).toBeUndefined();
    expect(clubDetail(m, 'marseille', { asOf: day(12) }).squad).toMatchObject({ size: 1, valueEur: 20_000_000 });
  });

  it("lists other clubs' interest in our players, and who wants each outgoing candidate", () => {
    const juventus = squadDepth(m, 'juventus', { asOf: day(12), formation: '4-3-3' });
    const rugani = juventus.positions.find((p) => p.position === 'CB')!.players[0];
    expect(rugani).toMatchObject({
      player: 'rugani',
      ageApprox: true,
      wantedBy: [{ club: 'marseille', stage: 'bid', lastBid: { amountEur: 4_000_000, rejected: false } }],
    });
    expect(outgoingCandidates(m, 'juventus', { asOf: day(12), formation: '4-3-3' })[0]).toMatchObject({
      player: 'rugani',
      wantedBy: [{ club: 'marseille', stage: 'bid' }],
    });
    // before Marseille's interest, nobody
    expect(outgoingCandidates(m, 'juventus', { asOf: day(2), formation: '4-3-3' })[0].wantedBy).toEqual([]);
  });

  it("shows a renewal's condition, doubtful once the manager it hinges on has left", () => {
    const target = (asOf: number) => targetList(m, 'juventus', { asOf: day(asOf) }).find((t) => t.player === 'balerdi');
    expect(target(12)).toMatchObject({
      renewalExpectedFrom: day(100),
      renewalCondition: { condition: 'if Tudor stays', dependsOnManager: 'Igor Tudor' },
      notForSale: { club: 'marseille' },
    });
    expect((target(12)!.renewalCondition as { doubtful?: boolean }).doubtful).toBeUndefined();
    expect(target(31)!.renewalCondition).toMatchObject({ doubtful: true });
  });
});
