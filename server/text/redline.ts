// Redline between two revisions: clauses are matched by key (numbers change, keys do not), and inside a
// changed clause every text field is diffed word by word. Words come from Intl.Segmenter('ru'), which
// knows Russian word boundaries; spaces and punctuation are tokens too, so the runs rebuild both texts
// exactly. The output is plain data for the page, the JSON API and the PDF alike.
import { diffArrays } from 'diff';
import type { Clause } from './clauses.js';
import { numberClauses, type Label } from './numbering.js';

export interface WordRun { kind: 'equal' | 'insert' | 'delete'; text: string }

export interface FieldChange {
  /** 'heading', 'body', 'kind', 'requirement.min', 'table.header.2', 'table.rows.0.1', 'term.definition'… */
  field: string;
  before: string;
  after: string;
  runs: WordRun[];
}

export type ClauseStatus = 'added' | 'removed' | 'changed' | 'moved' | 'renumbered' | 'unchanged';

export interface ClauseComparison {
  key: string;
  /** The most telling of the flags below: changed > moved > renumbered > unchanged. */
  status: ClauseStatus;
  changed: boolean;
  /** Under another parent, or out of order among the siblings it kept. */
  moved: boolean;
  renumbered: boolean;
  before?: Clause;
  after?: Clause;
  labelBefore?: Label;
  labelAfter?: Label;
  /** Only the fields that differ; empty unless changed. */
  fields: FieldChange[];
}

export interface RevisionComparison {
  /** Document order of the newer revision, removed clauses where they stood in the older one. */
  clauses: ClauseComparison[];
  counts: Record<ClauseStatus, number>;
}

const segmenter = new Intl.Segmenter('ru', { granularity: 'word' });

export function tokenizeWords(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

const SPACE = /\s/;

/**
 * Length of the common head and tail of two texts, each cut where a word starts (after whitespace) or
 * ends (before whitespace), so that segmenting only the middle gives the same words. Segmenting is the
 * slow part of a redline, and most edits touch a few words of a long clause.
 */
function commonEnds(a: string, b: string): [number, number] {
  const limit = Math.min(a.length, b.length);
  let head = 0;
  while (head < limit && a[head] === b[head]) head++;
  while (head > 0 && !(SPACE.test(a[head - 1]!) && (head === a.length || !SPACE.test(a[head]!)) && (head === b.length || !SPACE.test(b[head]!)))) head--;
  let tail = 0;
  while (tail < limit - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const startsWord = (t: string, i: number) => SPACE.test(t[i]!) && (i === 0 || !SPACE.test(t[i - 1]!));
  while (tail > 0 && !(startsWord(a, a.length - tail) && startsWord(b, b.length - tail))) tail--;
  return [head, tail];
}

/**
 * Word-level diff. Whitespace that separates two changes is folded into them, so a rewritten phrase
 * reads as one deletion and one insertion instead of alternating fragments.
 */
export function diffWords(before: string, after: string): WordRun[] {
  if (before === after) return before ? [{ kind: 'equal', text: before }] : [];
  const [head, tail] = commonEnds(before, after);
  const middle = diffArrays(
    tokenizeWords(before.slice(head, before.length - tail)),
    tokenizeWords(after.slice(head, after.length - tail)),
  ).map((c) => ({ kind: c.added ? 'insert' : c.removed ? 'delete' : 'equal', text: c.value.join('') }) as WordRun);
  const parts: WordRun[] = [];
  for (const p of [{ kind: 'equal', text: before.slice(0, head) } as WordRun, ...middle, { kind: 'equal', text: before.slice(before.length - tail) } as WordRun]) {
    const last = parts[parts.length - 1];
    if (!p.text) continue;
    if (last?.kind === 'equal' && p.kind === 'equal') last.text += p.text;
    else parts.push({ ...p });
  }
  const runs: WordRun[] = [];
  let del = '';
  let ins = '';
  const flush = () => {
    if (del) runs.push({ kind: 'delete', text: del });
    if (ins) runs.push({ kind: 'insert', text: ins });
    del = ins = '';
  };
  parts.forEach((p, i) => {
    if (p.kind === 'delete') del += p.text;
    else if (p.kind === 'insert') ins += p.text;
    else if ((del || ins) && /^\s+$/.test(p.text) && i < parts.length - 1) {
      del += p.text;
      ins += p.text;
    } else {
      flush();
      runs.push(p);
    }
  });
  flush();
  return runs;
}

const num = (n: number | undefined) => (n === undefined ? undefined : String(n));

/** Every comparable text of a clause under a stable field name; absent fields are left out. */
export function clauseTextFields(c: Clause): Map<string, string> {
  const fields = new Map<string, string>();
  const put = (field: string, value: string | undefined) => { if (value !== undefined) fields.set(field, value); };
  put('kind', c.kind);
  put('heading', c.heading);
  put('body', c.body);
  put('annex', c.annex);
  put('unnumbered', c.unnumbered ? 'unnumbered' : undefined);
  const r = c.requirement;
  if (r) {
    put('requirement.parameter', r.parameter);
    put('requirement.value', r.value);
    put('requirement.min', num(r.min));
    put('requirement.max', num(r.max));
    put('requirement.nominal', num(r.nominal));
    put('requirement.tolerance', num(r.tolerance));
    put('requirement.unit', r.unit);
    put('requirement.methodKey', r.methodKey);
  }
  if (c.table) {
    put('table.caption', c.table.caption);
    c.table.header.forEach((h, i) => put(`table.header.${i}`, h));
    c.table.rows.forEach((row, r) => row.forEach((cell, i) => put(`table.rows.${r}.${i}`, cell)));
  }
  if (c.term) {
    put('term.ru', c.term.ru);
    put('term.en', c.term.en);
    put('term.definition', c.term.definition);
  }
  if (c.reference) {
    put('reference.designation', c.reference.designation);
    put('reference.title', c.reference.title);
  }
  return fields;
}

const payload = (c: Clause) => JSON.stringify([c.requirement, c.table, c.term, c.reference]);

// Most clauses of a later revision are untouched; this skips building their field maps.
function sameContent(a: Clause, b: Clause): boolean {
  return a.kind === b.kind && a.heading === b.heading && a.body === b.body && a.annex === b.annex
    && Boolean(a.unnumbered) === Boolean(b.unnumbered) && payload(a) === payload(b);
}

export function compareClauseFields(a: Clause, b: Clause): FieldChange[] {
  if (sameContent(a, b)) return [];
  const fa = clauseTextFields(a);
  const fb = clauseTextFields(b);
  const names = [...fa.keys(), ...[...fb.keys()].filter((k) => !fa.has(k))];
  return names.flatMap((field) => {
    const before = fa.get(field) ?? '';
    const after = fb.get(field) ?? '';
    return before === after ? [] : [{ field, before, after, runs: diffWords(before, after) }];
  });
}

function parents(clauses: readonly Clause[]): Map<string, string | null> {
  const out = new Map<string, string | null>();
  const open: string[] = [];
  for (const c of clauses) {
    open.length = Math.min(open.length, c.depth);
    out.set(c.key, open.length ? open[open.length - 1]! : null);
    open.push(c.key);
  }
  return out;
}

/** Keys that kept their parent but lost their place among the siblings that also stayed. */
function reordered(a: readonly Clause[], b: readonly Clause[], pa: Map<string, string | null>, pb: Map<string, string | null>): Set<string> {
  const group = (clauses: readonly Clause[], own: Map<string, string | null>) => {
    const groups = new Map<string | null, string[]>();
    for (const c of clauses) {
      const p = own.get(c.key)!;
      if (!pa.has(c.key) || !pb.has(c.key) || pa.get(c.key) !== pb.get(c.key)) continue;
      const keys = groups.get(p);
      if (keys) keys.push(c.key);
      else groups.set(p, [c.key]);
    }
    return groups;
  };
  const ga = group(a, pa);
  const gb = group(b, pb);
  const out = new Set<string>();
  for (const [parent, keysB] of gb) {
    for (const change of diffArrays(ga.get(parent) ?? [], keysB)) {
      if (change.added) change.value.forEach((k) => out.add(k));
    }
  }
  return out;
}

export function compareRevisions(a: readonly Clause[], b: readonly Clause[]): RevisionComparison {
  const byKeyA = new Map(a.map((c) => [c.key, c]));
  const byKeyB = new Map(b.map((c) => [c.key, c]));
  const labelsA = numberClauses(a);
  const labelsB = numberClauses(b);
  const pa = parents(a);
  const pb = parents(b);
  const outOfOrder = reordered(a, b, pa, pb);
  const counts: Record<ClauseStatus, number> = { added: 0, removed: 0, changed: 0, moved: 0, renumbered: 0, unchanged: 0 };
  const clauses: ClauseComparison[] = [];

  const emit = (key: string) => {
    const before = byKeyA.get(key);
    const after = byKeyB.get(key);
    const labelBefore = labelsA.get(key);
    const labelAfter = labelsB.get(key);
    const base = { key, before, after, labelBefore, labelAfter };
    let entry: ClauseComparison;
    if (!before || !after) {
      const status = before ? 'removed' : 'added';
      entry = { ...base, status, changed: false, moved: false, renumbered: false, fields: [] };
    } else {
      const fields = compareClauseFields(before, after);
      const changed = fields.length > 0;
      const moved = pa.get(key) !== pb.get(key) || outOfOrder.has(key);
      const renumbered = labelBefore?.number !== labelAfter?.number;
      const status = changed ? 'changed' : moved ? 'moved' : renumbered ? 'renumbered' : 'unchanged';
      entry = { ...base, status, changed, moved, renumbered, fields };
    }
    counts[entry.status]++;
    clauses.push(entry);
  };

  // Walk the key sequences together so that a removed clause lands where it used to be.
  for (const change of diffArrays(a.map((c) => c.key), b.map((c) => c.key))) {
    for (const key of change.value) {
      if (!change.removed) emit(key);
      else if (!byKeyB.has(key)) emit(key); // a removed-then-added key is a move: shown at its new place
    }
  }
  return { clauses, counts };
}
