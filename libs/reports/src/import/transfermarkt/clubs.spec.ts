import { isSlug } from '@squad/domain';
import { abbreviates, nameKey, slugBase, youthSide } from './clubs';
import { CURATED_CLUBS } from './curated-clubs';
import { historyOf, type FixtureRow } from './testing/fixtures';

const SERIE_A = 'data/2018/serie-a.csv';
const BUNDESLIGA = 'data/2018/1-bundesliga.csv';

/** The two rows of one move: the buyer's `in`, the seller's `out`, each naming the other its way. */
function pair(
  player: string,
  buyer: { club: string; as: string },
  seller: { club: string; as: string },
  extra: Partial<FixtureRow> = {},
): [FixtureRow, FixtureRow] {
  return [
    { club: buyer.club, name: player, movement: 'in', dealing: seller.as, fee: '1000000.0', ...extra },
    { club: seller.club, name: player, movement: 'out', dealing: buyer.as, fee: '1000000.0', ...extra },
  ];
}

describe('club spellings', () => {
  it('gives the seed data its slugs', async () => {
    const history = await historyOf({
      [SERIE_A]: [
        ...pair('A One', { club: 'Juventus FC', as: 'Juventus' }, { club: 'Olympique Marseille', as: 'Marseille' }),
        { club: 'Juventus FC', name: 'B Two', movement: 'in', dealing: 'Ajax', country: 'Netherlands' },
        { club: 'Juventus FC', name: 'C Three', movement: 'in', dealing: 'Atl. Madrid', country: 'Spain' },
        { club: 'Juventus FC', name: 'D Four', movement: 'in', dealing: 'Bor. Dortmund', country: 'Germany' },
        { club: 'Juventus FC', name: 'E Five', movement: 'in', dealing: 'Boca Juniors', country: 'Argentina' },
      ],
      'data/2018/ligue-1.csv': [{ club: 'Olympique Marseille', name: 'A One', movement: 'out', dealing: 'Juventus' }],
    });
    expect(history.clubs.map((club) => club.slug)).toEqual(
      expect.arrayContaining(['juventus', 'marseille', 'ajax', 'atletico-madrid', 'borussia-dortmund', 'boca-juniors']),
    );
    expect(history.clubs.find((club) => club.slug === 'juventus')).toMatchObject({
      name: 'Juventus FC',
      aliases: ['Juventus', 'Juventus FC'],
      country: 'Italy',
      leagues: ['Serie A'],
    });
  });

  it('keeps a small, valid curated list', () => {
    const slugs = CURATED_CLUBS.map((club) => club.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const slug of slugs) expect(isSlug(slug)).toBe(true);
    const spellings = CURATED_CLUBS.flatMap((club) => club.spellings.map((s) => s.toLowerCase()));
    expect(new Set(spellings).size).toBe(spellings.length);
    expect(slugs).toEqual(
      expect.arrayContaining(['juventus', 'marseille', 'ajax', 'atletico-madrid', 'borussia-dortmund', 'boca-juniors']),
    );
  });

  it('learns that two spellings are one club from the paired rows that name them', async () => {
    const history = await historyOf(
      {
        [BUNDESLIGA]: [
          ...pair('A One', { club: 'Hamburger SV', as: 'Hamburg' }, { club: 'SV Werder Bremen', as: 'Bremen' }),
          ...pair('B Two', { club: 'SV Werder Bremen', as: 'Bremen' }, { club: 'Hamburger SV', as: 'Hamburg' }),
          { club: 'VfB Stuttgart', name: 'C Three', movement: 'in', dealing: 'Hamburg', country: 'Germany' },
        ],
      },
      { curated: [] },
    );
    expect(history.pairsMerged).toBe(2);
    const hamburg = history.clubs.find((club) => club.aliases.includes('Hamburger SV'));
    expect(hamburg).toMatchObject({ slug: 'hamburger-sv', aliases: ['Hamburg', 'Hamburger SV'] });
    // the learned spelling resolves wherever it is used, also in a row with no pair
    expect(history.moves.find((m) => m.player === 'c-three')).toMatchObject({
      fromClub: 'hamburger-sv',
      toClub: 'vfb-stuttgart',
    });
  });

  it('does not learn a spelling from a single pair (below the vote threshold)', async () => {
    const history = await historyOf(
      {
        [BUNDESLIGA]: pair(
          'A One',
          { club: 'Hamburger SV', as: 'Hamburg' },
          { club: 'SV Werder Bremen', as: 'Bremen' },
        ),
      },
      { curated: [] },
    );
    expect(history.pairsMerged).toBe(0);
    expect(history.clubs.map((club) => club.slug)).toEqual(['bremen', 'hamburg', 'hamburger-sv', 'sv-werder-bremen']);
  });

  it('does not learn from two rows that are not the same deal (a loan against a transfer, two fees)', async () => {
    const rows: FixtureRow[] = [
      { club: 'Hamburger SV', name: 'A One', movement: 'in', dealing: 'Hamburg', fee: '1.0' },
      { club: 'SV Werder Bremen', name: 'A One', movement: 'out', dealing: 'Bremen', fee: '2.0' },
      { club: 'Hamburger SV', name: 'B Two', movement: 'in', dealing: 'Hamburg', loan: 'free loan', fee: '0.0' },
      { club: 'SV Werder Bremen', name: 'B Two', movement: 'out', dealing: 'Bremen', fee: '0.0' },
    ];
    const history = await historyOf({ [BUNDESLIGA]: rows }, { curated: [] });
    expect(history.clubs.find((club) => club.slug === 'hamburger-sv')?.aliases).toEqual(['Hamburger SV']);
  });

  it('takes a spelling without the "football club" tokens, or a shortened one, for the club it names', async () => {
    const history = await historyOf(
      {
        [BUNDESLIGA]: [
          {
            club: 'FC Schalke 04',
            name: 'A One',
            movement: 'out',
            dealing: 'Bor. Mönchengladbach',
            country: 'Germany',
          },
          {
            club: 'Borussia Mönchengladbach',
            name: 'B Two',
            movement: 'out',
            dealing: 'Schalke 04',
            country: 'Germany',
          },
          {
            club: 'Borussia Mönchengladbach',
            name: 'C Three',
            movement: 'in',
            dealing: 'Feyenoord',
            country: 'Netherlands',
          },
        ],
        'data/2018/eredivisie.csv': [
          { club: 'Feyenoord Rotterdam', name: 'C Three', movement: 'out', dealing: 'Gladbach' },
        ],
      },
      { curated: [] },
    );
    const slugsOf = (player: string) =>
      history.moves.filter((m) => m.player === player).map((m) => [m.fromClub, m.toClub]);
    expect(slugsOf('a-one')).toEqual([['schalke-04', 'borussia-monchengladbach']]);
    expect(slugsOf('b-two')).toEqual([['borussia-monchengladbach', 'schalke-04']]);
    // `Feyenoord` is the start of `Feyenoord Rotterdam`, a club of the data: that club
    expect(slugsOf('c-three')[0]).toEqual(['feyenoord-rotterdam', 'borussia-monchengladbach']);
  });

  it('makes one club of two spellings of different seasons that others spell the same', async () => {
    const renamed: FixtureRow[] = [];
    for (const [season, label] of [
      [2017, 'Inter Milan'],
      [2018, 'FC Internazionale'],
    ] as const) {
      for (const n of [1, 2, 3, 4, 5]) {
        renamed.push({ club: label, name: `P${season}${n} X`, movement: 'out', dealing: 'Genoa', fee: '0.0' });
      }
      void season;
    }
    const other = (season: number): FixtureRow[] =>
      [1, 2, 3, 4, 5].map((n) => ({
        club: 'Genoa CFC',
        name: `P${season}${n} X`,
        movement: 'in',
        dealing: 'Inter',
        fee: '0.0',
      }));
    const history = await historyOf(
      {
        'data/2017/serie-a.csv': [...renamed.slice(0, 5), ...other(2017)],
        'data/2018/serie-a.csv': [...renamed.slice(5), ...other(2018)],
      },
      { curated: [] },
    );
    const inter = history.clubs.filter((club) => club.aliases.includes('Inter'));
    expect(inter).toHaveLength(1);
    expect(inter[0]?.aliases).toEqual(['FC Internazionale', 'Inter', 'Inter Milan']);
    expect(history.pairsMerged).toBe(10);
    expect(history.anomalies.filter((a) => a.kind === 'misfiled-club')).toEqual([]);
  });

  it('keeps apart two clubs of one name in different countries; the more used keeps the plain slug', async () => {
    const history = await historyOf({
      'data/2018/primeira-liga.csv': [
        { club: 'FC Porto', name: 'A One', movement: 'in', dealing: 'Nacional', country: 'Portugal' },
        { club: 'FC Porto', name: 'B Two', movement: 'out', dealing: 'Nacional', country: 'Portugal' },
        { club: 'FC Porto', name: 'C Three', movement: 'in', dealing: 'Nacional', country: 'Uruguay' },
      ],
    });
    expect(history.moves.map((m) => (m.fromClub === 'porto' ? m.toClub : m.fromClub)).sort()).toEqual([
      'nacional',
      'nacional',
      'nacional-uruguay',
    ]);
  });

  it('makes a youth or reserve side a club of its own with the first team as parent', async () => {
    const history = await historyOf({
      [SERIE_A]: [
        { club: 'Juventus FC', name: 'A One', movement: 'in', dealing: 'Juventus U23', country: 'Italy' },
        { club: 'Juventus FC', name: 'B Two', movement: 'in', dealing: 'Juventus Primavera', country: 'Italy' },
        { club: 'Juventus FC', name: 'C Three', movement: 'in', dealing: 'B. Dortmund II', country: 'Germany' },
        { club: 'Juventus FC', name: 'D Four', movement: 'in', dealing: 'Tongeren Res.', country: 'Belgium' },
      ],
      [BUNDESLIGA]: [
        { club: 'Borussia Dortmund', name: 'E Five', movement: 'in', dealing: 'Tongeren', country: 'Belgium' },
      ],
    });
    const club = (slug: string) => history.clubs.find((c) => c.slug === slug);
    expect(club('juventus-u23')).toMatchObject({ name: 'Juventus U23', parent: 'juventus', country: 'Italy' });
    expect(club('juventus-u19')).toMatchObject({ aliases: ['Juventus Primavera'], parent: 'juventus' });
    expect(club('borussia-dortmund-ii')).toMatchObject({ parent: 'borussia-dortmund' });
    expect(club('tongeren-reserves')).toMatchObject({ parent: 'tongeren' });
    expect(club('tongeren')).toMatchObject({ aliases: ['Tongeren'] });
  });

  it('re-files a block whose paired rows place it at another club, and refuses what it cannot place', async () => {
    // 2021: the block labelled Juventus FC holds Atalanta's rows, SSC Napoli's holds Juventus',
    // AS Roma's holds Napoli's; SS Lazio's has no evidence, in a file whose labels are shifted
    const held = {
      atalanta: ['A1 X', 'A2 X', 'A3 X'],
      juventus: ['J1 X', 'J2 X', 'J3 X'],
      napoli: ['N1 X', 'N2 X', 'N3 X'],
    };
    const block = (club: string, names: string[]): FixtureRow[] =>
      names.map((name) => ({ club, name, movement: 'in', dealing: 'Real Madrid' }));
    const counterpart = (dealing: string, names: string[]): FixtureRow[] =>
      names.map((name) => ({ club: 'Real Madrid', name, movement: 'out', dealing }));
    const history = await historyOf({
      'data/2020/serie-a.csv': ['Atalanta BC', 'Juventus FC', 'SSC Napoli', 'AS Roma', 'SS Lazio'].map(
        (club, i): FixtureRow => ({ club, name: `Z${i} X`, movement: 'in', dealing: 'Lecce' }),
      ),
      'data/2021/serie-a.csv': [
        ...block('Juventus FC', held.atalanta),
        ...block('SSC Napoli', held.juventus),
        ...block('AS Roma', held.napoli),
        { club: 'SS Lazio', name: 'R1 X', movement: 'in', dealing: 'Real Madrid' },
      ],
      'data/2021/laliga.csv': [
        ...counterpart('Atalanta BC', held.atalanta),
        ...counterpart('Juventus', held.juventus),
        ...counterpart('Napoli', held.napoli),
      ],
    });
    const move = (player: string) => history.moves.find((m) => m.player === player);
    expect(move('a1-x')).toMatchObject({ fromClub: 'real-madrid', toClub: 'atalanta-bc', singleSided: false });
    expect(move('j1-x')).toMatchObject({ fromClub: 'real-madrid', toClub: 'juventus', singleSided: false });
    expect(move('n1-x')).toMatchObject({ fromClub: 'real-madrid', toClub: 'napoli', singleSided: false });
    expect(move('r1-x')).toBeUndefined();
    const misfiled = history.anomalies.filter((a) => a.kind === 'misfiled-club' && a.file === 'data/2021/serie-a.csv');
    expect(misfiled.map((a) => [a.line, a.disposition])).toEqual([
      ...[2, 3, 4, 5, 6, 7, 8, 9, 10].map((line) => [line, 'recorded']),
      [11, 'refused'],
    ]);
    expect(misfiled[0]?.reason).toMatch(
      /filed under "Juventus FC"; 3 of 3 paired rows name "Atalanta BC".*re-filed there/,
    );
    expect(misfiled[9]?.reason).toMatch(/shifted/);
  });

  it('keeps a block its paired rows contradict in a file whose other labels hold, when too weak to re-file', async () => {
    const history = await historyOf({
      'data/2021/serie-a.csv': [
        { club: 'Juventus FC', name: 'A1 X', movement: 'in', dealing: 'Real Madrid' },
        { club: 'AS Roma', name: 'B1 X', movement: 'in', dealing: 'Lecce' },
      ],
      'data/2021/laliga.csv': [{ club: 'Real Madrid', name: 'A1 X', movement: 'out', dealing: 'Roma' }],
    });
    expect(history.anomalies.filter((a) => a.kind === 'misfiled-club')).toEqual([]);
    // one vote is no evidence: the Juventus row stays Juventus' (and the two rows stay two moves)
    expect(history.moves.filter((m) => m.player === 'a1-x').map((m) => [m.fromClub, m.toClub])).toEqual([
      ['real-madrid', 'roma'],
      ['real-madrid', 'juventus'],
    ]);
  });
});

describe('spelling helpers', () => {
  it.each([
    ['AC Milan', 'milan'],
    ['Milan AC', 'milan'],
    ['Torino Calcio', 'torino'],
    ['Genoa 1893', 'genoa 1893'],
    ['Atlético Madrid', 'atletico madrid'],
  ])('nameKey(%s) = %s', (spelling, key) => {
    expect(nameKey(spelling)).toBe(key);
  });

  it.each([
    ['Juventus FC', 'Juventus'],
    ['AS Roma', 'Roma'],
    ['1. FC Köln', '1. FC Köln'],
    ['FC 1909', 'FC 1909'],
  ])('slugBase(%s) = %s', (spelling, base) => {
    expect(slugBase(spelling)).toBe(base);
  });

  it('reads youth and reserve suffixes', () => {
    expect(youthSide('Juventus U23')).toEqual({ base: 'juventus', suffix: 'u23' });
    expect(youthSide('Juventus Primavera')).toEqual({ base: 'juventus', suffix: 'u19' });
    expect(youthSide('Feirense Sub-23')).toEqual({ base: 'feirense', suffix: 'u23' });
    expect(youthSide('Chelsea Res.')).toEqual({ base: 'chelsea', suffix: 'reserves' });
    expect(youthSide('Jong Ajax')).toEqual({ base: 'ajax', suffix: 'ii' });
    expect(youthSide('Boca Juniors')).toBeUndefined();
    expect(youthSide('Juventus')).toBeUndefined();
  });

  it('recognises abbreviations token by token', () => {
    expect(abbreviates('bor. dortmund', 'borussia dortmund')).toBe(true);
    expect(abbreviates('atl. madrid', 'atletico madrid')).toBe(true);
    expect(abbreviates('atl. madrid', 'real madrid')).toBe(false);
    expect(abbreviates('bor. dortmund', 'borussia dortmund ii')).toBe(false);
  });
});
