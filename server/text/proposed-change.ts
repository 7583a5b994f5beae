// A comment's proposed change read as an edit of the clause it is on (docs/applying-changes.md): the
// suggestion the secretariat starts from when it applies an accepted comment to the next revision.
// The proposal is free text; the usual wordings of GOST 1.2's summary of comments (and their English
// equivalents) are read, anything else leaves the clause as it is and the proposal is shown beside it.

/** How the proposal was read: which edits were made of it, or none (the secretariat edits by hand). */
export type SuggestionKind = 'replace' | 'reword' | 'add' | 'delete';

export interface Suggestion {
  /** The form's values with the proposal applied (the same object's copy when nothing was read). */
  values: Record<string, unknown>;
  /** What was read from the proposal, in order; empty when nothing could be applied. */
  applied: SuggestionKind[];
}

/** The text fields of the clause form a proposal may change, the body first (where most text is). */
const TEXT_FIELDS = ['body', 'heading', 'definition', 'termRu', 'termEn', 'value', 'parameter', 'caption', 'header', 'rows', 'title', 'designation'] as const;

const OPEN = '«"“„\'';
const CLOSE = '»"”“\'';
const quoted = `[${OPEN}]([^${CLOSE}]+?)[${CLOSE}]`;

const REPLACE = new RegExp(`(?:заменить|замена|replace|change)\\s+(?:слова\\s+|текст\\s+|значение\\s+)?${quoted}\\s*(?:на|with|to|by)\\s*${quoted}`, 'giu');
const DELETE = new RegExp(`(?:исключить|удалить|delete|remove)\\s+(?:слова\\s+|текст\\s+)?${quoted}`, 'giu');
const REWORD = new RegExp(`^\\s*(?:изложить(?:\\s+пункт)?\\s+в\\s+(?:следующей|новой)\\s+редакции|изложить\\s+так|reword(?:\\s+as)?|read|replace\\s+the\\s+text\\s+with)\\s*:?\\s*${quoted.replace('+?', '+')}\\s*\\.?\\s*$`, 'iu');
const ADD = new RegExp(`^\\s*(?:дополнить|добавить|add)[^${OPEN}]*${quoted.replace('+?', '+')}\\s*\\.?\\s*$`, 'iu');

const fieldsOf = (values: Record<string, unknown>) => TEXT_FIELDS.filter((f) => typeof values[f] === 'string' && values[f] !== '');

/**
 * The clause's form values with the proposal applied: «Заменить «A» на «B»» (each such pair), «Исключить «A»»
 * in whichever text field holds A; «Изложить в следующей редакции: «…»» as the new text of the clause;
 * «Дополнить …: «…»» appended to it. A pair whose A is nowhere in the clause is not applied.
 */
export function suggestChange(values: Readonly<Record<string, unknown>>, proposal: string | null | undefined): Suggestion {
  const out: Record<string, unknown> = { ...values };
  const applied: SuggestionKind[] = [];
  const text = (proposal ?? '').trim();
  if (!text) return { values: out, applied };
  const main = typeof out.definition === 'string' && out.kind === 'term' ? 'definition' : 'body';

  const reword = REWORD.exec(text);
  if (reword) {
    out[main] = reword[1]!.trim();
    return { values: out, applied: ['reword'] };
  }
  for (const m of text.matchAll(REPLACE)) {
    const [, from, to] = m as unknown as [string, string, string];
    const field = fieldsOf(out).find((f) => (out[f] as string).includes(from));
    if (!field) continue;
    out[field] = (out[field] as string).split(from).join(to);
    applied.push('replace');
  }
  for (const m of text.matchAll(DELETE)) {
    const from = m[1]!;
    const field = fieldsOf(out).find((f) => (out[f] as string).includes(from));
    if (!field) continue;
    out[field] = (out[field] as string).split(from).join('').replace(/ {2,}/g, ' ').replace(/ ([.,;:])/g, '$1');
    applied.push('delete');
  }
  if (!applied.length) {
    const add = ADD.exec(text);
    if (add) {
      const before = typeof out[main] === 'string' ? (out[main] as string).replace(/\s+$/, '') : '';
      out[main] = before ? `${before} ${add[1]!.trim()}` : add[1]!.trim();
      applied.push('add');
    }
  }
  return { values: out, applied };
}
