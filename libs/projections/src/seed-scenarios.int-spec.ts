import {
  outgoingCandidates,
  playerDetail,
  playerTimeline,
  squadDepth,
  targetList,
  type SquadReadModel,
} from '@squad/projections';
import { seedReadModel } from './testing/seed-model';

/** What a new user must see on the seed data (the read-models issue), asked of the model directly. */
describe('read models on the seed reports', () => {
  let model: SquadReadModel;
  beforeAll(async () => {
    model = await seedReadModel();
  });

  const statuses = (asOf: string, knownAt?: string) => {
    const depth = squadDepth(model, 'juventus', { asOf, knownAt, formation: '4-3-3' });
    return Object.fromEntries(depth.positions.flatMap((p) => p.players.map((pl) => [pl.player, pl.status])));
  };

  it('on 2025-06-20 Bremer and Cabal are unavailable; Kalulu, Gatti, Savona, Rugani and Kelly are available', () => {
    expect(statuses('2025-06-20')).toEqual({
      'gleison-bremer': 'injured',
      'juan-cabal': 'injured',
      'pierre-kalulu': 'available',
      'federico-gatti': 'available',
      'nicolo-savona': 'available',
      'daniele-rugani': 'available',
      'lloyd-kelly': 'available',
    });
  });

  it('on 2025-09-05 Bremer is available again', () => {
    expect(statuses('2025-09-05')['gleison-bremer']).toBe('available');
    expect(statuses('2025-09-05')['juan-cabal']).toBe('injured'); // no return reported: stays open
  });

  it('judges depth per position against the formation', () => {
    const depth = squadDepth(model, 'juventus', { asOf: '2025-06-30', formation: '4-3-3' });
    const cb = depth.positions.find((p) => p.position === 'CB')!;
    expect(cb).toMatchObject({ need: 4, registered: 5, squad: 5, available: 4, injured: 1, verdict: 'saturated' });
    expect(cb.incomingTargets).toEqual([
      { player: 'leonardo-balerdi', name: 'Leonardo Balerdi', stage: 'talks-refused', priority: 'top' },
    ]);
    expect(cb.outgoingCandidates.map((o) => o.player).sort()).toEqual(['daniele-rugani', 'lloyd-kelly']);
    expect(depth.positions.find((p) => p.position === 'LB')).toMatchObject({
      squad: 1,
      available: 0,
      verdict: 'short',
    });
  });

  it('known on 2025-07-10, Balerdi is the top target at the talks-refused stage, backed by the reports that said so', () => {
    const [balerdi] = targetList(model, 'juventus', { asOf: '2025-07-10', knownAt: '2025-07-10' });
    expect(balerdi).toMatchObject({
      player: 'leonardo-balerdi',
      stage: 'talks-refused',
      priority: 'top',
      open: true,
      currentClub: 'marseille',
    });
    const sources = (balerdi.supporting as { source: { name: string } }[]).map((r) => r.source.name);
    expect(sources).toEqual(['Tuttojuve', 'Football Italia', 'La Gazzetta dello Sport', 'Tuttomercatoweb']);
    expect(balerdi.contradicting).toEqual([]);
    expect(balerdi.rivals).toEqual([]);
  });

  it('known on 2025-09-10, the pursuit ended, a renewal is expected, Atlético is a rival, and both versions are shown', () => {
    const [balerdi] = targetList(model, 'juventus', { asOf: '2025-09-10', knownAt: '2025-09-10' });
    expect(balerdi).toMatchObject({
      stage: 'abandoned',
      open: false,
      renewalExpectedFrom: '2026-06-01',
      rivals: [{ club: 'atletico-madrid', stage: 'interest' }],
    });
    expect(balerdi.valuation).toMatchObject({ valueEur: 20_000_000, source: { name: 'La Tribune Olympienne' } });
    expect(balerdi.contractExpiry).toEqual({ club: 'marseille', expiresOn: '2028-06-30' });
    const [dispute] = balerdi.contradicting as {
      source: { name: string };
      contradicts: { source: { name: string } }[];
    }[];
    expect(dispute.source.name).toBe('La Tribune Olympienne');
    expect(dispute.contradicts.map((c) => c.source.name)).toEqual([
      'Tuttojuve',
      'La Gazzetta dello Sport',
      'Tuttomercatoweb',
    ]);
    const refused = (
      balerdi.supporting as { source: { name: string }; claims: { type: string; contradictedBy?: unknown[] }[] }[]
    ).flatMap((r) =>
      r.claims.filter((c) => c.type === 'TalksRefused').map((c) => [r.source.name, c.contradictedBy?.length]),
    );
    expect(refused).toEqual([
      ['Tuttojuve', 1],
      ['La Gazzetta dello Sport', 1],
      ['Tuttomercatoweb', 1],
    ]);
  });

  it('on 2025-06-30 Rugani and Kelly are outgoing candidates with reasons and the depth without them', () => {
    const outgoing = outgoingCandidates(model, 'juventus', { asOf: '2025-06-30' });
    expect(outgoing.map((o) => [o.player, o.reason])).toEqual([
      ['daniele-rugani', expect.stringContaining('back from a loan at Ajax')],
      ['lloyd-kelly', expect.stringContaining('unconvincing')],
    ]);
    expect(outgoing[0].depthAtPosition).toMatchObject({
      need: 4,
      now: { squad: 5, verdict: 'saturated' },
      withoutHim: { squad: 4, available: 3, verdict: 'short' },
    }); // Bremer is still injured
    expect(outgoing[0]).toMatchObject({
      source: { name: 'La Gazzetta dello Sport' },
      returnedFromLoan: { fromClub: 'ajax', on: '2025-06-01' },
    });
  });

  it('answers differently for the same day depending on what was known: the clocks are independent', () => {
    // on 18 June the records still had Rugani at Ajax; La Gazzetta (28 June) reported him back since 1 June
    expect(statuses('2025-06-20', '2025-06-18')['daniele-rugani']).toBe('away-on-loan');
    expect(statuses('2025-06-20')['daniele-rugani']).toBe('available');
    expect(
      squadDepth(model, 'ajax', { asOf: '2025-06-20', knownAt: '2025-06-18', formation: '4-3-3' }).totals.registered,
    ).toBe(1);
    expect(squadDepth(model, 'ajax', { asOf: '2025-06-20', formation: '4-3-3' }).totals.registered).toBe(0);
    // and the outgoing candidates were not known before 28 June
    expect(outgoingCandidates(model, 'juventus', { asOf: '2025-06-30', knownAt: '2025-06-27' })).toEqual([]);
    expect(outgoingCandidates(model, 'juventus', { asOf: '2025-06-30' })).toHaveLength(2);
  });

  it('shows a player and every fact about him in both clocks', () => {
    expect(playerDetail(model, 'gleison-bremer', { asOf: '2025-06-20' })).toMatchObject({
      player: 'gleison-bremer',
      club: 'juventus',
      status: 'injured',
    });
    const timeline = playerTimeline(model, 'gleison-bremer', { asOf: '2025-12-31' })!;
    expect(timeline.map((t) => [t.type, t.effectiveOn, t.source?.name])).toEqual([
      ['PlayerRegistered', '2025-06-01', 'Squad Planner baseline (compiled from the seed reports)'],
      ['PlayerInjured', '2025-06-17', 'Tuttojuve'],
      ['PlayerReturnedFromInjury', '2025-09-04', 'La Tribune Olympienne'],
    ]);
    expect(playerTimeline(model, 'gleison-bremer', { asOf: '2025-12-31', knownAt: '2025-07-01' })).toHaveLength(2);
  });
});
