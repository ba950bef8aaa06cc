import { historyOf, type FixtureRow } from './testing/fixtures';

const SERIE_A = 'data/2018/serie-a.csv';
const LIGUE_1 = 'data/2018/ligue-1.csv';

/** A row of a player joining Juventus from an uncovered club: one row, one move. */
function signing(name: string, age: number, nationality: string, extra: Partial<FixtureRow> = {}): FixtureRow {
  return { club: 'Juventus FC', name, movement: 'in', dealing: 'Some Club', age, nationality, ...extra };
}

describe('player identity', () => {
  it('makes the slug from the name with accents folded', async () => {
    const history = await historyOf({
      [SERIE_A]: [signing('João Cancelo', 24, 'Portugal'), signing('Daniele Rugani', 24, 'Italy')],
      [LIGUE_1]: [
        { club: 'Olympique Marseille', name: 'Leonardo Balerdi', movement: 'in', dealing: 'Bor. Dortmund', age: 21 },
        { club: 'Paris Saint-Germain', name: 'Gianluigi Buffon', movement: 'in', dealing: 'Juventus', age: 40 },
      ],
    });
    expect(history.players.map((p) => p.slug)).toEqual([
      'daniele-rugani',
      'gianluigi-buffon',
      'joao-cancelo',
      'leonardo-balerdi',
    ]);
    expect(history.players.find((p) => p.slug === 'joao-cancelo')).toMatchObject({
      name: 'João Cancelo',
      nationality: 'Portugal',
      birthYear: 1994,
    });
  });

  it('tells namesakes apart by birth year and nationality; the one with most rows keeps the plain slug', async () => {
    const history = await historyOf({
      [SERIE_A]: [
        signing('Cristiano Ronaldo', 33, 'Portugal', { dealing: 'Real Madrid' }),
        signing('Cristiano Ronaldo', 33, 'Portugal', { window: 'winter', dealing: 'Real Madrid' }),
        signing('Cristiano Ronaldo', 20, 'Brazil'),
        signing('Danilo', 27, 'Brazil'),
        signing('Danilo', 34, 'Brazil'),
        signing('Danilo', 34, 'Brazil', { window: 'winter' }),
        signing('Danilo', 27, 'Belgium'),
      ],
    });
    const slugs = history.players.map((p) => [p.slug, p.nationality, p.birthYear]);
    expect(slugs).toEqual([
      ['cristiano-ronaldo', 'Portugal', 1985],
      ['cristiano-ronaldo-1998', 'Brazil', 1998],
      ['danilo', 'Brazil', 1984],
      ['danilo-1991', 'Belgium', 1991],
      ['danilo-1991-brazil', 'Brazil', 1991],
    ]);
  });

  it('lets birth-year estimates one year apart be one player, two years apart two', async () => {
    const history = await historyOf({
      [SERIE_A]: [
        signing('Marco Rossi', 24, 'Italy'),
        signing('Marco Rossi', 25, 'Italy', { window: 'winter' }),
        signing('Luca Bianchi', 24, 'Italy'),
        signing('Luca Bianchi', 24, 'Italy', { dealing: 'Third Club' }),
        signing('Luca Bianchi', 26, 'Italy', { window: 'winter' }),
      ],
    });
    expect(history.players.map((p) => p.slug)).toEqual(['luca-bianchi', 'luca-bianchi-1992', 'marco-rossi']);
    expect(history.players.filter((p) => p.slug.startsWith('luca')).map((p) => p.birthYear)).toEqual([1994, 1992]);
  });

  it('puts a row without age or nationality with the namesake it does not contradict', async () => {
    const history = await historyOf({
      [SERIE_A]: [
        signing('Danilo', 27, 'Brazil'),
        signing('Danilo', 27, 'Brazil', { window: 'winter' }),
        signing('Danilo', 28, 'Brazil', { dealing: 'Third Club' }),
        signing('Danilo', 34, 'Belgium'),
        // no age: only the Belgian fits
        {
          club: 'Juventus FC',
          name: 'Danilo',
          movement: 'out',
          dealing: 'Other Club',
          nationality: 'Belgium',
          age: '',
        },
      ],
    });
    const belgian = history.players.find((p) => p.nationality === 'Belgium')?.slug;
    expect(belgian).toBe('danilo-1984');
    expect(history.moves.filter((m) => m.player === belgian)).toHaveLength(2);
  });

  it('builds identity from every file, so a filter never changes a slug', async () => {
    const files = {
      [SERIE_A]: [signing('Danilo', 27, 'Brazil'), signing('Danilo', 27, 'Brazil', { window: 'winter' })],
      [LIGUE_1]: [
        {
          club: 'Paris Saint-Germain',
          name: 'Danilo',
          movement: 'in',
          dealing: 'X',
          age: 34,
          nationality: 'Brazil',
        } as FixtureRow,
      ],
    };
    const all = await historyOf(files);
    const onlyLigue1 = await historyOf(files, { filter: { leagues: ['ligue-1'] } });
    expect(onlyLigue1.players.map((p) => p.slug)).toEqual(['danilo-1984']);
    expect(onlyLigue1.moves.map((m) => m.moveId)).toEqual(
      all.moves.filter((m) => m.player === 'danilo-1984').map((m) => m.moveId),
    );
  });

  it('takes our position from his latest row with a known label', async () => {
    const history = await historyOf({
      'data/2017/serie-a.csv': [signing('Marco Rossi', 24, 'Italy', { position: 'Left Midfield' })],
      [SERIE_A]: [
        signing('Marco Rossi', 25, 'Italy', { position: 'Second Striker' }),
        signing('Marco Rossi', 25, 'Italy', { window: 'winter', position: '' }),
      ],
    });
    expect(history.players[0]).toMatchObject({ position: 'ST', transfermarktPosition: 'Second Striker' });
    expect(history.anomalies.filter((a) => a.kind === 'unmapped-position')).toEqual([
      expect.objectContaining({ file: SERIE_A, line: 3, disposition: 'recorded' }),
    ]);
  });
});
