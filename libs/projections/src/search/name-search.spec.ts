import { bestMatches, foldName, foldQuery, rankOf } from '@squad/projections';

describe('name search', () => {
  it('folds case, accents and punctuation', () => {
    expect(foldName('Atlético Madrid')).toBe('atletico madrid');
    expect(foldName('Bor. Dortmund')).toBe('bor dortmund');
    expect(foldName('  João  Cancelo ')).toBe('joao cancelo');
    expect(foldName('Saint-Étienne')).toBe('saint etienne');
  });

  it('ranks the whole name above words it starts, above a substring, and refuses the rest', () => {
    expect(rankOf(foldQuery('Juventus'), 'juventus')).toBe(0);
    expect(rankOf(foldQuery('juve'), 'juventus fc')).toBe(1);
    expect(rankOf(foldQuery('bor dort'), 'bor dortmund')).toBe(1);
    expect(rankOf(foldQuery('ventus'), 'juventus fc')).toBe(2);
    expect(rankOf(foldQuery('dort bor'), 'bor dortmund')).toBeUndefined(); // words in order
    expect(rankOf(foldQuery('milan'), 'juventus fc')).toBeUndefined();
  });

  it('puts better matches first, then shorter names, and cuts at the limit', () => {
    const candidates = [
      { slug: 'juventus-u23', names: ['Juventus U23', 'Juve U23'], weight: 10 },
      { slug: 'juventus', names: ['Juventus FC', 'Juventus'], weight: 500 },
      { slug: 'real-madrid', names: ['Real Madrid'], weight: 600 },
      { slug: 'juve-stabia', names: ['Juve Stabia'], weight: 10 },
    ];
    const found = bestMatches(foldQuery('juve'), candidates, 10);
    // all start with "juve": the better known first, then the shorter name (Juve U23 is shorter than Juve Stabia)
    expect(found.map((f) => f.slug)).toEqual(['juventus', 'juventus-u23', 'juve-stabia']);
    expect(found[0]).toEqual({ slug: 'juventus', matched: 'Juventus', rank: 'words' });
    expect(found[1]).toEqual({ slug: 'juventus-u23', matched: 'Juve U23', rank: 'words' });
    expect(bestMatches(foldQuery('juventus'), candidates, 1)).toEqual([
      { slug: 'juventus', matched: 'Juventus', rank: 'exact' },
    ]);
  });

  it('matches a slug when no name does', () => {
    expect(bestMatches(foldQuery('boca juniors'), [{ slug: 'boca-juniors', names: [], weight: 0 }], 5)).toEqual([
      { slug: 'boca-juniors', matched: 'boca-juniors', rank: 'exact' },
    ]);
  });
});
