// Words of the catalogue, made comparable: the embedded engine has no $text, so every published
// document carries its stemmed words (searchTokens) and a Russian sort key (sortKey), and a query is
// turned into stems the same way. Pure functions, no I/O.
import { newStemmer } from 'snowball-stemmers';

const russian = newStemmer('russian');
const english = newStemmer('english');

/** Words too common to tell standards apart; dropped from documents and queries alike. */
const STOP_WORDS = new Set([
  'и', 'в', 'во', 'на', 'для', 'по', 'с', 'со', 'к', 'ко', 'о', 'об', 'от', 'из', 'а', 'или', 'при', 'под', 'над', 'за', 'до', 'не',
  'the', 'of', 'and', 'for', 'to', 'in', 'on', 'a', 'an', 'with', 'or', 'by', 'at', 'as',
]);

const WORD = /[\p{L}\p{N}]+/gu;
const CYRILLIC = /[а-я]/;
const VOWEL_BEFORE_K_OR_TS = /([^аеиоуыэюя])[ое]([кц])$/;

/** Lower case, ё as е: the two spellings of one word compare equal. */
export function normalise(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е');
}

/**
 * The stem of one normalised word. Snowball keeps the fleeting vowel of «станок» (станок / станк-и),
 * so a stem ending in consonant + о/е + к/ц loses that vowel: both forms meet at «станк», «резц».
 */
export function stemWord(word: string): string {
  if (/^\p{N}+$/u.test(word)) return word;
  if (CYRILLIC.test(word)) {
    const stem = russian.stem(word);
    return stem.length >= 5 ? stem.replace(VOWEL_BEFORE_K_OR_TS, '$1$2') : stem;
  }
  return english.stem(word);
}

/** The distinct stems of a text, stop words left out, in order of first appearance. */
export function stems(text: string): string[] {
  const out = new Set<string>();
  for (const [word] of normalise(text).matchAll(WORD)) {
    if (STOP_WORDS.has(word)) continue;
    out.add(stemWord(word));
  }
  return [...out];
}

export interface SearchableText {
  titles: { ru: string; en: string };
  designation?: string | null;
  /** Plain text of the scope clause of the published revision. */
  scope?: string;
}

/** What a published document is found by: its titles in both languages, its designation and its scope. */
export function searchTokensOf(doc: SearchableText): string[] {
  return stems([doc.titles.ru, doc.titles.en, doc.designation ?? '', doc.scope ?? ''].join('\n'));
}

/** A key that sorts Russian titles correctly with Intl.Collator('ru'): no case, ё as е, no leading quotes. */
export function sortKeyOf(title: string): string {
  return normalise(title).replace(/^[^\p{L}\p{N}]+/u, '').replace(/\s+/g, ' ').trim();
}

/** The stems a query asks for; every one of them must match. */
export function queryStems(query: string): string[] {
  return stems(query);
}

/**
 * A query stem finds a document stem that it begins: «лазер» finds «лазерн», and a stem the stemmer cut
 * shorter in the query still finds the longer one in the title. Numbers and stems under three letters
 * must match whole.
 */
export function matchesAsPrefix(queryStem: string): boolean {
  return queryStem.length >= 3 && !/^\p{N}+$/u.test(queryStem);
}
