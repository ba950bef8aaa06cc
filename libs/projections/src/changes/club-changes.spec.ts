import type { EventStore } from '@squad/event-store';
import {
  applyEvent,
  changesPage,
  emptyReadModel,
  formatChangesCursor,
  parseChangesCursor,
  readView,
  type ChangeEntry,
  type ChangesBudget,
  type ChangesQuery,
  type StoredSquadEvent,
} from '@squad/projections';
import { day, storedEvents, type GeneratedReport } from '../testing/branch-arbitraries';

/** The store as the changes read it: events from a position, at most so many (an in-memory stand-in). */
const storeOf = (events: readonly StoredSquadEvent[]): EventStore =>
  ({
    readAll({
      fromPosition = 'start',
      maxCount = Infinity,
    }: { fromPosition?: bigint | 'start'; maxCount?: number } = {}) {
      const picked = events.filter((event) => fromPosition === 'start' || event.position >= fromPosition);
      return toAsync(picked.slice(0, maxCount));
    },
  }) as unknown as EventStore;

async function* toAsync<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}

const registered = (player: string, club: string) => ({
  type: 'PlayerRegistered',
  player,
  name: player,
  club,
  position: 'CB',
});

// the report ids are r0, r1, ... in this order
const reports: GeneratedReport[] = [
  {
    known: 1,
    claims: [
      { claim: registered('a', 'juventus'), valid: 1 },
      { claim: registered('b', 'juventus'), valid: 1 },
    ],
  },
  {
    known: 3,
    claims: [
      { claim: registered('c', 'marseille'), valid: 3 },
      { claim: { type: 'InterestDeclared', club: 'juventus', player: 'c', priority: 'top' }, valid: 3 },
    ],
  },
  // published on day 5, dated day 2: back-dated
  { known: 5, claims: [{ claim: { type: 'PlayerInjured', player: 'a' }, valid: 2 }] },
  {
    known: 6,
    claims: [
      { claim: { type: 'OutgoingCandidateFlagged', club: 'juventus', player: 'b', reason: 'saturated' }, valid: 6 },
    ],
  },
  {
    known: 7,
    claims: [
      {
        claim: {
          type: 'ClaimDisputed',
          club: 'juventus',
          player: 'c',
          disputedType: 'InterestDeclared',
          statement: 'Marseille never heard from Juventus',
          contradicts: [
            {
              reportId: 'r1',
              claimIndex: 1,
              type: 'InterestDeclared',
              source: { name: 'source 1' },
              publishedOn: day(3),
            },
          ],
        },
        valid: 7,
      },
    ],
  },
  {
    known: 8,
    claims: [{ claim: { type: 'TransferCompleted', player: 'b', fromClub: 'juventus', toClub: 'ajax' }, valid: 8 }],
  },
];

function world() {
  const events = storedEvents(reports, 'ledger-main', 1, 'r');
  const model = emptyReadModel();
  for (const event of events) applyEvent(model, event);
  return { view: readView(model), store: storeOf(events) };
}

const query = (q: Partial<ChangesQuery>): ChangesQuery => ({
  since: day(0),
  until: day(10),
  limit: 100,
  formation: '4-3-3',
  ...q,
});

const brief = (e: ChangeEntry) => `${e.publishedOn} ${e.club} ${e.document} ${e.change} ${e.subject}`;

/** Every page, following `next`, with the budget given. */
async function allPages(q: ChangesQuery, budget?: ChangesBudget) {
  const { view, store } = world();
  const entries: ChangeEntry[] = [];
  let cursor = q.cursor;
  for (let pages = 1; ; pages++) {
    const page = await changesPage(view, store, { ...q, cursor }, undefined, budget);
    entries.push(...page.entries);
    if (!page.next) return { entries, pages };
    // the cursor survives its wire form
    cursor = parseChangesCursor(formatChangesCursor(page.next));
    expect(cursor).toEqual(page.next);
    if (pages > 100) throw new Error('no end');
  }
}

describe(changesPage.name, () => {
  it("lists what each day's reports changed in the club's documents, newest day first", async () => {
    const { view, store } = world();
    const { entries, next } = await changesPage(view, store, query({ club: 'juventus' }));
    expect(next).toBeUndefined();
    expect(entries.map(brief)).toEqual([
      // day 8: b sold to Ajax leaves the squad and the outgoing list
      `${day(8)} juventus squad-depth removed b`,
      `${day(8)} juventus squad-depth changed CB`,
      `${day(8)} juventus outgoing removed b`,
      // day 7: Marseille's denial disputes the interest in c
      `${day(7)} juventus targets disputed c`,
      // day 6: b flagged (his squad entry and the CB counts are unchanged)
      `${day(6)} juventus outgoing added b`,
      // day 5: the injury dated day 2, reported on day 5 (outgoing b is not flagged yet)
      `${day(5)} juventus squad-depth changed a`,
      `${day(5)} juventus squad-depth changed CB`,
      // day 3: a new target (the squad's players are unchanged: c is Marseille's)
      `${day(3)} juventus targets added c`,
      // day 1: the squad registered
      `${day(1)} juventus squad-depth added a`,
      `${day(1)} juventus squad-depth added b`,
      `${day(1)} juventus squad-depth changed CB`,
    ]);
    const injury = entries.find((e) => e.publishedOn === day(5) && e.subject === 'a')!;
    expect(injury.reports).toEqual(['r2']);
    expect(injury.before).toMatchObject({ player: 'a', status: 'available' });
    expect(injury.after).toMatchObject({ player: 'a', status: 'injured', injury: { since: day(2) } });
    const cb = entries.find((e) => e.publishedOn === day(5) && e.subject === 'CB')!;
    expect(cb).toMatchObject({
      subjectKind: 'position',
      before: { available: 2 },
      after: { available: 1 },
      reports: ['r2'],
    });
    const dispute = entries.find((e) => e.change === 'disputed')!;
    expect(dispute.reports).toEqual(['r4']);
    expect(dispute.after).toMatchObject({
      contradicting: [{ reportId: 'r4', statement: 'Marseille never heard from Juventus' }],
    });
    expect(dispute.before).toMatchObject({ contradicting: [] });
    expect(entries.find((e) => e.document === 'targets' && e.change === 'added')).toMatchObject({
      reports: ['r1'],
      after: { player: 'c', stage: 'interest', priority: 'top' },
    });
    expect(entries.find((e) => e.document === 'outgoing' && e.change === 'removed')!.after).toBeUndefined();
  });

  it('tells a back-dated report on its publication day, not on the day it is dated', async () => {
    const { view, store } = world();
    const before = await changesPage(view, store, query({ club: 'juventus', since: day(2), until: day(4) }));
    expect(before.entries.filter((e) => e.subject === 'a')).toEqual([]);
    const on = await changesPage(view, store, query({ club: 'juventus', since: day(5), until: day(5) }));
    expect(on.entries.map(brief)).toEqual([
      `${day(5)} juventus squad-depth changed a`,
      `${day(5)} juventus squad-depth changed CB`,
    ]);
  });

  it('over every club: each entry names its club, clubs in order within a day', async () => {
    const { view, store } = world();
    const { entries } = await changesPage(view, store, query({ since: day(3), until: day(8) }));
    const day8 = entries
      .filter((e) => e.publishedOn === day(8))
      .map((e) => `${e.club} ${e.document} ${e.change} ${e.subject}`);
    expect(day8).toEqual([
      'ajax squad-depth added b',
      'ajax squad-depth changed CB',
      // a completed transfer is the buyer's pursuit, signed
      'ajax targets added b',
      'juventus squad-depth removed b',
      'juventus squad-depth changed CB',
      'juventus outgoing removed b',
    ]);
    // c registered at Marseille on day 3, the day Juventus' interest in him was reported
    expect(
      entries.filter((e) => e.publishedOn === day(3)).map((e) => `${e.club} ${e.document} ${e.change} ${e.subject}`),
    ).toEqual(['juventus targets added c', 'marseille squad-depth added c', 'marseille squad-depth changed CB']);
    // Marseille's squad lists who wants c: Juventus' interest is news of c's club as well
    expect(entries.find((e) => e.club === 'marseille' && e.subject === 'c')!.after).toMatchObject({
      wantedBy: [{ club: 'juventus', stage: 'interest' }],
    });
  });

  it('pages by limit and by budget to the same entries as one page', async () => {
    const whole = await allPages(query({}));
    expect(whole.pages).toBe(1);
    const byOne = await allPages(query({ limit: 1 }));
    expect(byOne.entries).toEqual(whole.entries);
    expect(byOne.pages).toBeGreaterThanOrEqual(whole.entries.length);
    // one club-day per page, or one day's reports: short pages, none lost or told twice
    const byClubDay = await allPages(query({ limit: 1000 }), { clubDays: 1, reports: 20_000 });
    expect(byClubDay.entries).toEqual(whole.entries);
    expect(byClubDay.pages).toBeGreaterThan(5);
    const byReports = await allPages(query({ limit: 3 }), { clubDays: 100, reports: 1 });
    expect(byReports.entries).toEqual(whole.entries);
  });

  it('starts at the cursor: its day, its club, past the entries skipped', async () => {
    const { view, store } = world();
    const page = await changesPage(view, store, query({ cursor: { day: day(8), club: 'juventus', skip: 1 } }));
    expect(page.entries.slice(0, 2).map(brief)).toEqual([
      `${day(8)} juventus squad-depth changed CB`,
      `${day(8)} juventus outgoing removed b`,
    ]);
    expect(page.entries.some((e) => e.club === 'ajax' && e.publishedOn === day(8))).toBe(false);
  });
});

describe(parseChangesCursor.name, () => {
  it('reads the cursors pages give, and nothing else', () => {
    expect(parseChangesCursor('2018-07-01')).toEqual({ day: '2018-07-01', skip: 0 });
    expect(parseChangesCursor('2018-07-01.juventus-u23.12')).toEqual({
      day: '2018-07-01',
      club: 'juventus-u23',
      skip: 12,
    });
    for (const bad of ['2018-02-30', '2018-07-01.juventus', '2018-07-01.Juventus.1', '2018-07-01.a--b.1', 'x'])
      expect(parseChangesCursor(bad)).toBeUndefined();
  });
});
