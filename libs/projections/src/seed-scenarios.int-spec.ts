import {
  clubDetail,
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
      {
        player: 'leonardo-balerdi',
        name: 'Leonardo Balerdi',
        stage: 'talks-refused',
        priority: 'top',
        // La Gazzetta's 28 June is the latest report of the pursuit by then: two days old, current
        lastNewsOn: '2025-06-28',
        stale: false,
      },
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
      ['PlayerInjured', '2025-05-31', 'La Gazzetta dello Sport'],
      ['PlayerRegistered', '2025-06-01', 'Squad Planner baseline (compiled from the seed reports)'],
      ['PlayerInjured', '2025-06-17', 'Tuttojuve'],
      ['PlayerReturnedFromInjury', '2025-09-01', 'La Tribune Olympienne'],
      ['PlayerReturnedFromInjury', '2025-09-04', 'La Tribune Olympienne'],
    ]);
    // known on 1 July: the baseline, Tuttojuve (17 June) and La Gazzetta's ACL injury (28 June)
    expect(
      playerTimeline(model, 'gleison-bremer', { asOf: '2025-12-31', knownAt: '2025-07-01' })!.map((t) => t.effectiveOn),
    ).toEqual(['2025-05-31', '2025-06-01', '2025-06-17']);
    expect(playerTimeline(model, 'gleison-bremer', { asOf: '2025-12-31', knownAt: '2025-06-27' })).toHaveLength(2);
  });

  describe('what the articles say of the players and the staff (issue 20)', () => {
    it("Balerdi: Argentina, born about 1999 (aged 26), Marseille's captain from 28 June, 8 caps as of 4 September", () => {
      expect(playerDetail(model, 'leonardo-balerdi', { asOf: '2025-09-10' })).toMatchObject({
        nationality: 'Argentina',
        birthYear: 1999,
        age: 26,
        ageApprox: true, // a birth year from an age: approximate by the contract
        captaincy: { club: 'marseille', since: '2025-06-28' },
        internationalCaps: 8,
      });
      // known on 20 June: Tuttojuve gave his nationality and age; nobody yet his armband or caps
      const june = playerDetail(model, 'leonardo-balerdi', { asOf: '2025-06-20', knownAt: '2025-06-20' })!;
      expect(june).toMatchObject({ nationality: 'Argentina', birthYear: 1999 });
      expect(june.captaincy).toBeUndefined();
      expect(june.internationalCaps).toBeUndefined();
      // known on 31 August: the captain (La Gazzetta, 28 June), still no caps (La Tribune Olympienne, 4 September)
      const august = playerDetail(model, 'leonardo-balerdi', { asOf: '2025-09-10', knownAt: '2025-08-31' })!;
      expect(august.captaincy).toEqual({ club: 'marseille', since: '2025-06-28' });
      expect(august.internationalCaps).toBeUndefined();
      // and Marseille's squad shows its captain from that day, not before
      const captain = (asOf: string) =>
        squadDepth(model, 'marseille', { asOf, formation: '4-3-3' })
          .positions.flatMap((p) => p.players)
          .find((p) => p.player === 'leonardo-balerdi')?.captain;
      expect(captain('2025-07-01')).toBe(true);
      expect(captain('2025-06-27')).toBeUndefined();
    });

    it("Marseille have no plan to sell him (Football Italia): on Juventus' target list from 25 June, not before", () => {
      const [balerdi] = targetList(model, 'juventus', { asOf: '2025-07-10', knownAt: '2025-07-10' });
      expect(balerdi.notForSale).toMatchObject({
        club: 'marseille',
        since: '2025-06-25',
        reportId: 'football-italia-2025-06-late-not-for-sale',
        source: { name: 'Football Italia' },
        reason: expect.stringContaining('no immediate plans to sell'),
      });
      const [before] = targetList(model, 'juventus', { asOf: '2025-07-10', knownAt: '2025-06-24' });
      expect(before.player).toBe('leonardo-balerdi');
      expect(before.notForSale).toBeUndefined();
    });

    it("Tudor managed Marseille in 2022/23 (days approximate), as known from La Gazzetta's 28 June", () => {
      expect(clubDetail(model, 'marseille', { asOf: '2023-01-15' }).manager).toMatchObject({
        name: 'Igor Tudor',
        since: '2022-07-01',
        source: { name: 'La Gazzetta dello Sport' },
      });
      expect(clubDetail(model, 'marseille', { asOf: '2024-01-15' })).toMatchObject({
        formerManager: { name: 'Igor Tudor', until: '2023-06-30' },
      });
      expect(clubDetail(model, 'marseille', { asOf: '2024-01-15' }).manager).toBeUndefined();
      expect(clubDetail(model, 'marseille', { asOf: '2023-01-15', knownAt: '2025-06-27' }).manager).toBeUndefined();
      // then Juventus, and De Zerbi at Marseille
      expect(clubDetail(model, 'juventus', { asOf: '2025-07-01' }).manager).toMatchObject({ name: 'Igor Tudor' });
      expect(clubDetail(model, 'marseille', { asOf: '2025-09-10' }).manager).toMatchObject({
        name: 'Roberto De Zerbi',
      });
    });

    it("Bremer's ACL injury predates the window and his return falls inside it, both days approximate", () => {
      const timeline = playerTimeline(model, 'gleison-bremer', { asOf: '2025-12-31' })!;
      expect(timeline[0]).toMatchObject({
        type: 'PlayerInjured',
        effectiveOn: '2025-05-31',
        effectiveOnApprox: true,
        publishedOn: '2025-06-28',
        details: { injury: expect.stringContaining('ACL') },
      });
      expect(timeline.find((t) => t.type === 'PlayerReturnedFromInjury')).toMatchObject({
        effectiveOn: '2025-09-01',
        effectiveOnApprox: true,
        publishedOn: '2025-09-04',
      });
      // injured on 31 May as known now, not as known on 27 June (before La Gazzetta said so)
      expect(playerDetail(model, 'gleison-bremer', { asOf: '2025-05-31' })?.injury).toMatchObject({
        since: '2025-05-31',
      });
      const asKnownBefore = playerDetail(model, 'gleison-bremer', { asOf: '2025-05-31', knownAt: '2025-06-27' })!;
      expect(asKnownBefore.player).toBe('gleison-bremer');
      expect(asKnownBefore.injury).toBeUndefined();
      // back on 2 September as known now; on 3 September nobody had said so yet
      expect(statuses('2025-08-31')['gleison-bremer']).toBe('injured');
      expect(statuses('2025-09-02')['gleison-bremer']).toBe('available');
      expect(statuses('2025-09-02', '2025-09-03')['gleison-bremer']).toBe('injured');
    });

    it('Kelly is at Juventus from January 2025 (his day approximate), as known from 28 June', () => {
      const squad = (asOf: string, knownAt?: string) =>
        squadDepth(model, 'juventus', { asOf, knownAt, formation: '4-3-3' }).positions.flatMap((p) =>
          p.players.map((pl) => pl.player),
        );
      expect(squad('2025-03-01')).toEqual(['lloyd-kelly']);
      expect(squad('2025-01-01')).toEqual([]);
      expect(squad('2025-03-01', '2025-06-27')).toEqual([]);
      expect(squad('2025-03-01', '2025-06-28')).toEqual(['lloyd-kelly']);
      expect(playerTimeline(model, 'lloyd-kelly', { asOf: '2025-12-31' })![0]).toMatchObject({
        type: 'PlayerRegistered',
        effectiveOn: '2025-01-02',
        effectiveOnApprox: true,
        source: { name: 'La Gazzetta dello Sport' },
        details: { club: 'juventus' },
      });
    });
  });
});
