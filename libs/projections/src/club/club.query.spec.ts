import {
  applyEvent,
  BranchView,
  clubDetail,
  emptyReadModel,
  searchClubs,
  searchPlayers,
  type SquadReadModel,
} from '@squad/projections';
import { day, storedEvents, type GeneratedReport } from '../testing/branch-arbitraries';

const CANONICAL = 'ledger-main';

function modelOf(reports: readonly GeneratedReport[]): SquadReadModel {
  const model = emptyReadModel(CANONICAL);
  for (const event of storedEvents(reports, CANONICAL, 1, 'r')) applyEvent(model, event);
  return model;
}

const profile = (fields: Record<string, unknown>) => ({ claim: { type: 'ClubProfileReported', ...fields }, valid: 0 });

/** Day 0: the clubs' first profiles; day 10: Juventus' manager; day 20: a new name for the youth side. */
const REPORTS: GeneratedReport[] = [
  {
    known: 0,
    claims: [
      profile({ club: 'juventus', name: 'Juventus FC', aliases: ['Juventus'], country: 'Italy' }),
      profile({ club: 'juventus-u23', name: 'Juventus U23', parentClub: 'juventus' }),
      profile({ club: 'atletico-madrid', name: 'Atlético Madrid', aliases: ['Atl. Madrid'] }),
    ],
  },
  { known: 10, claims: [{ claim: { type: 'ManagerAppointed', club: 'juventus', manager: 'Igor Tudor' }, valid: 10 }] },
  { known: 20, claims: [{ ...profile({ club: 'juventus-u23', name: 'Juventus Next Gen' }), valid: 20 }] },
  {
    known: 30,
    claims: [
      {
        claim: {
          type: 'PlayerRegistered',
          player: 'cristiano-ronaldo',
          name: 'Cristiano Ronaldo',
          club: 'juventus',
          position: 'ST',
        },
        valid: 30,
      },
      { claim: { type: 'PlayerProfileReported', player: 'cristiano-ronaldo', nationality: 'Portugal' }, valid: 30 },
      {
        claim: {
          type: 'PlayerRegistered',
          player: 'ronaldo',
          name: 'Ronaldo',
          club: 'atletico-madrid',
          position: 'ST',
        },
        valid: 30,
      },
    ],
  },
];

describe('club profiles and search', () => {
  const model = modelOf(REPORTS);

  it('tells a club on a day: names in both clocks, first team, manager from his appointment', () => {
    expect(clubDetail(model, 'juventus', { asOf: day(5) })).toEqual({
      club: 'juventus',
      name: 'Juventus FC',
      aliases: ['Juventus'],
      country: 'Italy',
      squad: { size: 0, agesKnown: 0, valueEur: 0, valuesKnown: 0 },
    });
    expect(clubDetail(model, 'juventus', { asOf: day(15) }).manager).toMatchObject({
      name: 'Igor Tudor',
      since: day(10),
      reportId: 'r1',
    });
    // renamed on day 20: the old name stays an alias; before it, or as known before it, the old name
    expect(clubDetail(model, 'juventus-u23', { asOf: day(25) })).toMatchObject({
      name: 'Juventus Next Gen',
      aliases: ['Juventus U23'],
      parentClub: 'juventus',
    });
    expect(clubDetail(model, 'juventus-u23', { asOf: day(25), knownAt: day(19) }).name).toBe('Juventus U23');
    expect(clubDetail(model, 'juventus-u23', { asOf: day(15) }).name).toBe('Juventus U23');
  });

  it('finds clubs by any name, accents and punctuation aside, best first', () => {
    const juve = searchClubs(model, { text: 'juve', limit: 10 });
    expect(juve.map((m) => m.club)).toEqual(['juventus', 'juventus-u23']);
    expect(juve[0]).toMatchObject({ name: 'Juventus FC', matched: 'Juventus', match: 'words' });
    expect(searchClubs(model, { text: 'atletico', limit: 10 }).map((m) => m.club)).toEqual(['atletico-madrid']);
    expect(searchClubs(model, { text: 'atl madrid', limit: 10 }).map((m) => m.matched)).toEqual(['Atl. Madrid']);
    // a former name still finds the club; a name not yet reported at knownAt does not
    expect(searchClubs(model, { text: 'next gen', limit: 10 }).map((m) => m.club)).toEqual(['juventus-u23']);
    expect(searchClubs(model, { text: 'next gen', limit: 10, knownAt: day(19) })).toEqual([]);
    expect(searchClubs(model, { text: 'juve', limit: 1 })).toHaveLength(1);
  });

  it('finds players by name with their club on the day', () => {
    const found = searchPlayers(model, { text: 'ronaldo', limit: 10, asOf: day(40) });
    expect(found.map((p) => p.player)).toEqual(['ronaldo', 'cristiano-ronaldo']);
    expect(found[1]).toMatchObject({
      name: 'Cristiano Ronaldo',
      club: 'juventus',
      nationality: 'Portugal',
      position: 'ST',
      match: 'words',
    });
    expect(searchPlayers(model, { text: 'ronaldo', limit: 10, asOf: day(40), knownAt: day(29) })).toEqual([]);
  });

  it('searches a branch: canonical names visible at its fork, and its own', () => {
    const own = emptyReadModel('ledger-branch-x');
    const ownReports: GeneratedReport[] = [
      { known: 40, claims: [{ ...profile({ club: 'juventus', aliases: ['La Vecchia Signora'] }), valid: 40 }] },
    ];
    for (const event of storedEvents(ownReports, 'ledger-branch-x', 100, 'b')) applyEvent(own, event);
    const branch = new BranchView(model, { position: 3 }, own, { branch: 'x' });
    expect(searchClubs(branch, { text: 'vecchia', limit: 5 }).map((m) => m.club)).toEqual(['juventus']);
    expect(searchClubs(model, { text: 'vecchia', limit: 5 })).toEqual([]);
    // the rename (position 5) and the players (6 on) come after the fork
    expect(searchClubs(branch, { text: 'next gen', limit: 5 })).toEqual([]);
    expect(searchPlayers(branch, { text: 'ronaldo', limit: 5, asOf: day(40) })).toEqual([]);
  });
});
