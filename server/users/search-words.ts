// What a search of the people list matches: each word typed must begin a word of the person's name or of
// their e-mail address. Names and addresses are kept with their words (the users' `searchWords`, indexed),
// lower-cased and with «ё» read as «е», so that a search is a prefix range on one index on MongoDB.

/** A text as searches compare it: lower case, «ё» as «е», compatibility forms folded. */
export function searchForm(s: string): string {
  return s.normalize('NFKC').toLocaleLowerCase('ru').replace(/ё/g, 'е');
}

/**
 * The words a person is found by: those of the name (a hyphenated surname also by its parts), the whole
 * address, its local part and domain, and the pieces between dots, hyphens, underscores and plus signs.
 */
export function searchWordsOf(name: string, email: string): string[] {
  const words = new Set<string>();
  for (const word of searchForm(name).split(/\s+/)) {
    const bare = word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (!bare) continue;
    words.add(bare);
    for (const part of bare.split(/[^\p{L}\p{N}]+/u)) if (part) words.add(part);
  }
  const address = searchForm(email).trim();
  if (address) {
    words.add(address);
    for (const part of address.split('@')) if (part) words.add(part);
    for (const part of address.split(/[@._+-]+/)) if (part) words.add(part);
  }
  return [...words];
}

/** At most this many words of a search are used; more narrow nothing a person would look for. */
export const MAX_SEARCH_TERMS = 5;

/** The words of a search, as they are compared (searchForm), each at most once. */
export function searchTerms(q: string): string[] {
  const words = searchForm(q).split(/\s+/).map((w) => w.replace(/^[^\p{L}\p{N}@._+-]+|[^\p{L}\p{N}@._+-]+$/gu, ''));
  return [...new Set(words.filter(Boolean))].slice(0, MAX_SEARCH_TERMS);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A search word as the start of a stored word: an anchored, case-exact pattern (an index range on MongoDB). */
export function prefixPattern(term: string): RegExp {
  return new RegExp(`^${escapeRegExp(term)}`);
}
