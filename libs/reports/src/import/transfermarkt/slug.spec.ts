import fc from 'fast-check';
import { isSlug, MAX_SLUG_LENGTH } from '@squad/domain';
import { foldAccents, slugify, withSuffix } from './slug';

describe(slugify.name, () => {
  it.each([
    ['João Cancelo', 'joao-cancelo'],
    ['Atlético Madrid', 'atletico-madrid'],
    ['Martin Ødegaard', 'martin-odegaard'],
    ['İlkay Gündoğan', 'ilkay-gundogan'],
    ['Thomas Müller', 'thomas-muller'],
    ['Łukasz Piszczek', 'lukasz-piszczek'],
    ['Brighton & Hove Albion', 'brighton-hove-albion'],
    ["Dordrecht'90", 'dordrecht-90'],
    ['  Cercle Brugge ', 'cercle-brugge'],
  ])('%s → %s', (text, slug) => {
    expect(slugify(text)).toBe(slug);
  });

  it('folds accents without touching plain letters', () => {
    expect(foldAccents('Gleison Bremer')).toBe('Gleison Bremer');
    expect(foldAccents('Nicolò Savona')).toBe('Nicolo Savona');
  });

  it('always gives a valid slug of at most 80 characters (or nothing)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: 'grapheme' }), (text) => {
        const slug = slugify(text);
        expect(slug === '' || isSlug(slug)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('cuts a long name at a hyphen, and a suffix still fits', () => {
    const long = 'Sociedade Esportiva Palmeiras Futebol Clube Associacao Desportiva Recreativa Cultural Juvenil';
    const slug = slugify(long);
    expect(slug.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
    expect(slug.endsWith('-')).toBe(false);
    expect(slugify(long).startsWith('sociedade-esportiva-palmeiras')).toBe(true);
    const suffixed = withSuffix(slug, 'U23');
    expect(suffixed.endsWith('-u23')).toBe(true);
    expect(isSlug(suffixed)).toBe(true);
  });
});
