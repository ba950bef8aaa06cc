import { CLAIM_TYPES, type Claim, type ClaimType } from '@squad/domain';
import { applyEvent, clubsNamedBy, emptyReadModel, everyPursuer, squadDepth, targetList } from '@squad/projections';
import { storedEvents } from '../testing/branch-arbitraries';

/**
 * Where each claim type goes, seen from the queries: one claim per type about Juventus and its own
 * player (Bremer, registered there), and what the read models then say. Written from what each
 * claim means, not from the routing tables, so a table that misfiles a claim type fails here;
 * and keyed by claim type, so a new one needs its line here too.
 */
const BREMER = 'gleison-bremer';
const cases: {
  readonly [T in ClaimType]: { claim: Extract<Claim, { type: T }>; clubs: string[]; pursuers: string[] };
} = {
  PlayerRegistered: {
    claim: { type: 'PlayerRegistered', player: BREMER, name: 'Gleison Bremer', club: 'juventus', position: 'CB' },
    clubs: ['juventus'],
    pursuers: [],
  },
  InterestDeclared: {
    claim: { type: 'InterestDeclared', club: 'marseille', player: BREMER },
    clubs: ['marseille'],
    pursuers: ['marseille'],
  },
  TalksRequested: {
    claim: { type: 'TalksRequested', club: 'marseille', player: BREMER, withClub: 'juventus' },
    clubs: ['marseille', 'juventus'],
    pursuers: ['marseille'],
  },
  TalksRefused: {
    claim: { type: 'TalksRefused', club: 'marseille', player: BREMER, byClub: 'juventus' },
    clubs: ['marseille', 'juventus'],
    pursuers: ['marseille'],
  },
  BidSubmitted: {
    claim: { type: 'BidSubmitted', club: 'marseille', player: BREMER, toClub: 'juventus', amountEur: 1 },
    clubs: ['marseille', 'juventus'],
    pursuers: ['marseille'],
  },
  BidRejected: {
    claim: { type: 'BidRejected', club: 'marseille', player: BREMER, byClub: 'juventus' },
    clubs: ['marseille', 'juventus'],
    pursuers: ['marseille'],
  },
  PursuitAbandoned: {
    claim: { type: 'PursuitAbandoned', club: 'marseille', player: BREMER },
    clubs: ['marseille'],
    pursuers: ['marseille'],
  },
  InterestRenewalExpected: {
    claim: { type: 'InterestRenewalExpected', club: 'marseille', player: BREMER, expectedFrom: '2026-06-01' },
    clubs: ['marseille'],
    pursuers: ['marseille'],
  },
  ClaimDisputed: {
    claim: {
      type: 'ClaimDisputed',
      club: 'marseille',
      player: BREMER,
      disputedType: 'InterestDeclared',
      statement: 'no',
    },
    clubs: ['marseille'],
    pursuers: ['marseille'],
  },
  TransferCompleted: {
    claim: { type: 'TransferCompleted', player: BREMER, fromClub: 'juventus', toClub: 'marseille' },
    clubs: ['juventus', 'marseille'],
    pursuers: ['marseille'],
  },
  // these name his own club and him without anyone pursuing him
  OutgoingCandidateFlagged: {
    claim: { type: 'OutgoingCandidateFlagged', club: 'juventus', player: BREMER, reason: 'saturation' },
    clubs: ['juventus'],
    pursuers: [],
  },
  ContractRecorded: {
    claim: { type: 'ContractRecorded', club: 'juventus', player: BREMER, expiresOn: '2028-06-30' },
    clubs: ['juventus'],
    pursuers: [],
  },
  PlayerInjured: { claim: { type: 'PlayerInjured', player: BREMER }, clubs: [], pursuers: [] },
  PlayerReturnedFromInjury: { claim: { type: 'PlayerReturnedFromInjury', player: BREMER }, clubs: [], pursuers: [] },
  LoanDeparted: { claim: { type: 'LoanDeparted', player: BREMER, toClub: 'ajax' }, clubs: ['ajax'], pursuers: [] },
  LoanReturned: { claim: { type: 'LoanReturned', player: BREMER, fromClub: 'ajax' }, clubs: ['ajax'], pursuers: [] },
  MarketValueReported: { claim: { type: 'MarketValueReported', player: BREMER, valueEur: 1 }, clubs: [], pursuers: [] },
  ManagerAppointed: {
    claim: { type: 'ManagerAppointed', club: 'juventus', manager: 'Igor Tudor' },
    clubs: ['juventus'],
    pursuers: [],
  },
  ContractExtended: {
    claim: { type: 'ContractExtended', player: BREMER, club: 'juventus', expiresOn: '2060-06-30' },
    clubs: ['juventus'],
    pursuers: [],
  },
  // the holder's stance: no one pursues him by it
  NotForSale: { claim: { type: 'NotForSale', club: 'juventus', player: BREMER }, clubs: ['juventus'], pursuers: [] },
  ManagerDeparted: {
    claim: { type: 'ManagerDeparted', club: 'juventus', manager: 'Igor Tudor', reason: 'sacked' },
    clubs: ['juventus'],
    pursuers: [],
  },
  // a youth side's profile names its first team as well
  ClubProfileReported: {
    claim: { type: 'ClubProfileReported', club: 'juventus-u23', name: 'Juventus U23', parentClub: 'juventus' },
    clubs: ['juventus-u23', 'juventus'],
    pursuers: [],
  },
  // he leaves football: his club's squad is the one it names
  PlayerReleased: {
    claim: { type: 'PlayerReleased', player: BREMER, fromClub: 'juventus', reason: 'ban' },
    clubs: ['juventus'],
    pursuers: [],
  },
  PlayerRetired: {
    claim: { type: 'PlayerRetired', player: BREMER, fromClub: 'juventus' },
    clubs: ['juventus'],
    pursuers: [],
  },
  PlayerProfileReported: {
    claim: { type: 'PlayerProfileReported', player: BREMER, nationality: 'Brazil', birthYear: 1997 },
    clubs: [],
    pursuers: [],
  },
};

/** The claims that take him out of Juventus' squad. */
const LEAVES_THE_SQUAD: readonly ClaimType[] = ['TransferCompleted', 'PlayerReleased', 'PlayerRetired'];

const registration = cases.PlayerRegistered.claim;

/** Bremer registered at Juventus (day 0), then the claim (day 1). */
function modelAfter(claim: Claim) {
  const { type, ...fields } = claim;
  const model = emptyReadModel('ledger');
  const reports = [
    { known: 0, claims: [{ claim: registration, valid: 0 }] },
    { known: 1, claims: [{ claim: { type, ...fields }, valid: 1 }] },
  ];
  for (const event of storedEvents(reports, 'ledger', 1, 'r')) applyEvent(model, event);
  return model;
}

describe('claim routing', () => {
  it('has a case for every claim type', () => {
    expect(Object.keys(cases).sort()).toEqual([...CLAIM_TYPES].sort());
  });

  it.each(CLAIM_TYPES)('%s names the clubs it is about', (type) => {
    const { claim, clubs } = cases[type];
    const { type: _type, ...fields } = claim;
    expect(clubsNamedBy(type, fields)).toEqual(clubs);
  });

  it.each(CLAIM_TYPES)('%s makes only a pursuing club his pursuer', (type) => {
    const { claim, pursuers } = cases[type];
    const model = modelAfter(claim);
    expect([...everyPursuer(model, BREMER)].sort()).toEqual(pursuers);
    // his own club never has him among its targets through claims about him
    const juventusTargets = targetList(model, 'juventus', { asOf: '2054-10-03' }).map((t) => t.player);
    expect(juventusTargets).not.toContain(BREMER);
  });

  it.each(CLAIM_TYPES)('%s leaves the squads it does not move', (type) => {
    const { claim } = cases[type];
    const model = modelAfter(claim);
    const juventus = squadDepth(model, 'juventus', { asOf: '2054-10-03', formation: '4-3-3' });
    const moved = LEAVES_THE_SQUAD.includes(type);
    expect(juventus.totals.registered).toBe(moved ? 0 : 1);
  });
});

describe('what an applied pursuit touches', () => {
  it("names the pursuing club and the player's own club, whose squad depth lists who wants him", () => {
    const model = emptyReadModel('ledger');
    const reports = [
      { known: 0, claims: [{ claim: registration, valid: 0 }] },
      { known: 1, claims: [{ claim: { type: 'InterestDeclared', club: 'marseille', player: BREMER }, valid: 1 }] },
    ];
    const changes = storedEvents(reports, 'ledger', 1, 'r').map((event) => applyEvent(model, event));
    expect(changes[1]?.clubs).toEqual(['marseille', 'juventus']);
  });
});
