import { MAX_SLUG_LENGTH } from '@squad/domain';

/** Letters NFKD does not decompose into a base letter plus marks. */
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ø: 'o',
  Ø: 'O',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ß: 'ss',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  þ: 'th',
  Þ: 'TH',
  ı: 'i',
  ħ: 'h',
  Ħ: 'H',
};
const SPECIAL = new RegExp(`[${Object.keys(SPECIAL_LETTERS).join('')}]`, 'g');
const COMBINING_MARKS = /\p{M}+/gu;

/** `João Cancelo` → `Joao Cancelo`, `Ødegaard` → `Odegaard`, `Gündoğan` → `Gundogan`. */
export function foldAccents(text: string): string {
  return text
    .replace(SPECIAL, (letter) => SPECIAL_LETTERS[letter] ?? letter)
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '');
}

/**
 * Lower case, accents folded, every run of other characters one hyphen, at most `max`
 * characters (cut at a hyphen when one is near, never leaving a trailing hyphen).
 * Returns `''` when nothing of the text survives.
 */
export function slugify(text: string, max: number = MAX_SLUG_LENGTH): string {
  const slug = foldAccents(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return truncateSlug(slug, max);
}

/** Cuts a slug to `max` characters, at its last hyphen when that keeps most of it. */
export function truncateSlug(slug: string, max: number): string {
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max);
  const hyphen = cut.lastIndexOf('-');
  return (hyphen >= max / 2 ? cut.slice(0, hyphen) : cut).replace(/-+$/, '');
}

/** Appends `-suffix` to `base`, shortening `base` so the whole stays within `MAX_SLUG_LENGTH`. */
export function withSuffix(base: string, suffix: string): string {
  const tail = slugify(suffix);
  if (tail === '') return base;
  return `${truncateSlug(base, MAX_SLUG_LENGTH - tail.length - 1)}-${tail}`;
}
