// Clause numbers are derived from position on every read, never stored, so moving a clause can never
// leave a stale number behind. Conventions of GOST 1.5: 1, 1.1, 1.1.1; annexes А, Б, В… with А.1;
// «Примечание» alone or «Примечание 1, 2…»; tables through the body or per annex; bibliography [1], [2]….
import type { Clause } from './clauses.js';
import { GOST_LETTERS } from './letters.js';

export class NumberingError extends Error {
  override readonly name = 'NumberingError';
  readonly code = 'tooManyAnnexes';
}

export function annexLetter(index: number): string {
  const letter = GOST_LETTERS[index];
  if (letter === undefined) {
    throw new NumberingError(`annex ${index + 1}: GOST 1.5 has letters for ${GOST_LETTERS.length} annexes only`);
  }
  return letter;
}

export type LabelKind = 'clause' | 'annex' | 'note' | 'example' | 'table' | 'bibliography';
export interface Localized { ru: string; en: string }

export interface Label {
  kind: LabelKind;
  /** The bare number: '4.2', 'А', 'А.1', '2' (Note 2), 'Б.3' (table), '1' ([1]); '' for a sole note or example. */
  number: string;
  /** As printed at the clause: '4.2', 'Приложение А' / 'Annex А', 'Примечание 2' / 'Note 2', 'Таблица 1', '[1]'. */
  text: Localized;
  /**
   * As a cross-reference renders in running text: the bare number ('4.2', 'А', '1', '[1]'); the author
   * writes the noun in its grammatical case («в приложении [[ref:x]]»). For notes and examples it says
   * whose: '2 к 4.2' / '2 to 4.2'.
   */
  ref: Localized;
  /** Printed under an annex's label: «(обязательное)» / «(normative)». */
  annexStatus?: Localized;
}

const NUMBERED = new Set(['section', 'text', 'requirement', 'term']);
const ANNEX_STATUS: Record<'normative' | 'informative', Localized> = {
  normative: { ru: '(обязательное)', en: '(normative)' },
  informative: { ru: '(справочное)', en: '(informative)' },
};
const NOUN = { note: { ru: 'Примечание', en: 'Note' }, example: { ru: 'Пример', en: 'Example' } } as const;

const same = (s: string): Localized => ({ ru: s, en: s });

/**
 * Labels of every clause that has one (keyed by clause key). Unnumbered sections, everything numbered
 * inside them, and normative references have none. Throws NumberingError past the 25th annex.
 */
export function numberClauses(clauses: readonly Clause[]): Map<string, Label> {
  const labels = new Map<string, Label>();
  const { parentOf, siblings } = treeOf(clauses);
  const numberAt: (string | undefined)[] = []; // the clause/annex number a child builds on
  const zone: ({ annex: string } | 'main' | 'unnumbered')[] = [];
  const next = counters();
  let annexes = 0;

  clauses.forEach((c, i) => {
    const parent = parentOf[i]!;
    const parentNumber = parent >= 0 ? numberAt[parent] : undefined;
    let z = parent >= 0 ? zone[parent]! : 'main';
    let number: string | undefined;
    if (c.depth === 0 && c.kind === 'section' && c.annex) {
      number = annexLetter(annexes++);
      z = { annex: number };
      labels.set(c.key, annexLabel(number, c.annex));
    } else if (c.depth === 0 && c.kind === 'section' && c.unnumbered) {
      z = 'unnumbered';
    } else if (NUMBERED.has(c.kind) && z !== 'unnumbered') {
      const n = next(`child:${parent}`);
      number = parentNumber ? `${parentNumber}.${n}` : String(n);
      labels.set(c.key, { kind: 'clause', number, text: same(number), ref: same(number) });
    } else if (c.kind === 'note' || c.kind === 'example') {
      const only = siblings.get(`${parent}:${c.kind}`) === 1;
      labels.set(c.key, noteLabel(c.kind, next(`${c.kind}:${parent}`), only, parentNumber));
    } else if (c.kind === 'table') {
      const annex = typeof z === 'object' ? z.annex : undefined;
      labels.set(c.key, tableLabel(next(annex ? `table:${annex}` : 'table'), annex));
    } else if (c.kind === 'bibliography') {
      const n = String(next('bibliography'));
      labels.set(c.key, { kind: 'bibliography', number: n, text: same(`[${n}]`), ref: same(`[${n}]`) });
    }
    numberAt.push(number);
    zone.push(z);
  });
  return labels;
}

/** Each clause's parent (its index; -1 at the top level) and how many children of each kind a parent has. */
function treeOf(clauses: readonly Clause[]): { parentOf: number[]; siblings: Map<string, number> } {
  const parentOf: number[] = [];
  const open: number[] = [];
  const siblings = new Map<string, number>(); // `${parent}:${kind}` → how many children of that kind
  clauses.forEach((c, i) => {
    open.length = Math.min(open.length, c.depth);
    const parent = open.length ? open[open.length - 1]! : -1;
    parentOf.push(parent);
    open.push(i);
    siblings.set(`${parent}:${c.kind}`, (siblings.get(`${parent}:${c.kind}`) ?? 0) + 1);
  });
  return { parentOf, siblings };
}

/** Named counters, each starting at 1: `next('table')` is 1, then 2, whatever the others are at. */
function counters(): (counter: string) => number {
  const counts = new Map<string, number>();
  return (counter) => {
    const n = (counts.get(counter) ?? 0) + 1;
    counts.set(counter, n);
    return n;
  };
}

function annexLabel(letter: string, status: keyof typeof ANNEX_STATUS): Label {
  return { kind: 'annex', number: letter, text: { ru: `Приложение ${letter}`, en: `Annex ${letter}` }, ref: same(letter), annexStatus: ANNEX_STATUS[status] };
}

/** Note `n` (or example `n`) of a clause; a sole one has no number, and its reference says whose it is. */
function noteLabel(kind: 'note' | 'example', n: number, only: boolean, whose: string | undefined): Label {
  const own = only ? '' : String(n);
  const noun = NOUN[kind];
  return {
    kind, number: own,
    text: { ru: only ? noun.ru : `${noun.ru} ${n}`, en: only ? noun.en : `${noun.en} ${n}` },
    ref: whose ? { ru: `${own} к ${whose}`.trim(), en: `${own} to ${whose}`.trim() } : same(own),
  };
}

/** Table `n`: numbered through the body, or within its annex (А.1). */
function tableLabel(n: number, annex: string | undefined): Label {
  const num = annex ? `${annex}.${n}` : String(n);
  return { kind: 'table', number: num, text: { ru: `Таблица ${num}`, en: `Table ${num}` }, ref: same(num) };
}

/**
 * A resolver for markupToHtml/markupToPlainText: a cross-referenced key renders as the current number
 * (Label.ref); a clause without a number renders as its heading; an unknown key as undefined.
 */
export function resolveCrossReferences(
  clauses: readonly Clause[], lang: 'ru' | 'en' = 'ru', labels: Map<string, Label> = numberClauses(clauses),
): (key: string) => string | undefined {
  const headings = new Map(clauses.map((c) => [c.key, c.heading]));
  return (key) => labels.get(key)?.ref[lang] ?? headings.get(key);
}
