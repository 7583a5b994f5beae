// A revision's clauses: a flat array in document order whose tree is implied by `depth`.
// Flat because that is how a standard is read, stored, diffed and printed; the tree is derived (toTree).
// Every operation returns a new array (untouched clauses are shared, never mutated) and refuses,
// with a ClauseOperationError, any result that would not pass validateClauses.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { collectRefs, parseMarkup } from './markup.js';

export const CLAUSE_KINDS = [
  'section', 'text', 'requirement', 'note', 'example', 'table', 'term', 'reference', 'bibliography',
] as const;
export type ClauseKind = (typeof CLAUSE_KINDS)[number];

/** Kinds that may contain other clauses; the rest are leaves. */
export const CONTAINER_KINDS: ReadonlySet<ClauseKind> = new Set(['section', 'text', 'requirement']);
/** Keys are url-safe so they can sit in URLs, element ids and the [[ref:KEY]] markup. */
export const CLAUSE_KEY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const MAX_ANNEXES = 25;

const plain = (max: number) => z.string().max(max);

export const requirementSchema = z.object({
  parameter: plain(500),
  value: plain(500).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  nominal: z.number().optional(),
  tolerance: z.number().min(0).optional(),
  unit: plain(50).optional(),
  methodKey: z.string().regex(CLAUSE_KEY_PATTERN).optional(),
});

export const tableSchema = z.object({
  caption: plain(500).optional(),
  header: z.array(plain(1000)).max(30),
  rows: z.array(z.array(plain(2000)).max(30)).max(1000),
});

export const termSchema = z.object({ ru: plain(300), en: plain(300).optional(), definition: plain(5000) });
export const referenceSchema = z.object({ designation: plain(100), title: plain(1000) });

/** Shape only; the rules between fields and between clauses are in validateClauses. */
export const clauseSchema = z.object({
  key: z.string().regex(CLAUSE_KEY_PATTERN),
  depth: z.number().int().min(0).max(20),
  kind: z.enum(CLAUSE_KINDS),
  heading: plain(500).optional(),
  body: plain(50_000).optional(),
  annex: z.enum(['normative', 'informative']).optional(),
  unnumbered: z.boolean().optional(),
  requirement: requirementSchema.optional(),
  table: tableSchema.optional(),
  term: termSchema.optional(),
  reference: referenceSchema.optional(),
});

export type Clause = z.infer<typeof clauseSchema>;
export type ClauseRequirement = z.infer<typeof requirementSchema>;
export type ClauseTable = z.infer<typeof tableSchema>;
/** Everything an edit form may change: key and depth change only through the tree operations. */
export type ClausePatch = Partial<Omit<Clause, 'key' | 'depth'>>;

export type ClauseIssueCode =
  | 'invalidKey' | 'duplicateKey' | 'invalidDepth' | 'parentIsLeaf' | 'missingField' | 'fieldNotAllowed'
  | 'invalidRange' | 'invalidTable' | 'annexNotTopLevel' | 'annexOrder' | 'tooManyAnnexes';

export interface ClauseIssue { index: number; key: string; code: ClauseIssueCode; field?: string; message: string }

export type ClauseErrorCode =
  | 'notFound' | 'duplicateKey' | 'invalidDepth' | 'parentIsLeaf' | 'noPreviousSibling' | 'noNextSibling'
  | 'alreadyTopLevel' | 'invalidResult';

export class ClauseOperationError extends Error {
  override readonly name = 'ClauseOperationError';
  constructor(readonly code: ClauseErrorCode, message: string, readonly issues: ClauseIssue[] = []) {
    super(message);
  }
}

export function newClauseKey(): string {
  return randomBytes(9).toString('base64url'); // 12 characters, 72 random bits
}

export const isContainer = (kind: ClauseKind): boolean => CONTAINER_KINDS.has(kind);

const blank = (s: string | undefined) => s === undefined || s.trim() === '';

// Which payload fields each kind must have and which it may have.
const OWN_FIELDS: Record<ClauseKind, { required: string[]; allowed: string[] }> = {
  section: { required: ['heading'], allowed: ['heading', 'body', 'annex', 'unnumbered'] },
  text: { required: ['body'], allowed: ['heading', 'body'] },
  requirement: { required: ['requirement'], allowed: ['heading', 'body', 'requirement'] },
  note: { required: ['body'], allowed: ['body'] },
  example: { required: ['body'], allowed: ['body'] },
  table: { required: ['table'], allowed: ['table'] },
  term: { required: ['term'], allowed: ['term'] },
  reference: { required: ['reference'], allowed: ['reference'] },
  bibliography: { required: ['body'], allowed: ['body'] },
};
const PAYLOAD_FIELDS = ['heading', 'body', 'annex', 'unnumbered', 'requirement', 'table', 'term', 'reference'] as const;

function contentIssues(c: Clause, issue: (code: ClauseIssueCode, message: string, field?: string) => void): void {
  const own = OWN_FIELDS[c.kind];
  for (const field of PAYLOAD_FIELDS) {
    const value = c[field];
    // false and '' are what storage and forms hold for "absent"; only a real value is out of place.
    if (value === undefined || value === false || value === '') continue;
    if (!own.allowed.includes(field)) issue('fieldNotAllowed', `a ${c.kind} has no ${field}`, field);
  }
  for (const field of own.required) {
    const value = c[field as keyof Clause];
    if (value === undefined || (typeof value === 'string' && blank(value))) {
      issue('missingField', `a ${c.kind} needs a ${field}`, field);
    }
  }
  if ((c.annex || c.unnumbered) && c.depth !== 0) {
    issue('annexNotTopLevel', 'only a top-level section can be an annex or unnumbered', c.annex ? 'annex' : 'unnumbered');
  }
  if (c.annex && c.unnumbered) issue('fieldNotAllowed', 'an annex is always lettered', 'unnumbered');
  const r = c.kind === 'requirement' ? c.requirement : undefined;
  if (r) {
    if (blank(r.parameter)) issue('missingField', 'a requirement needs a parameter', 'requirement.parameter');
    if (blank(r.value) && r.min === undefined && r.max === undefined && r.nominal === undefined) {
      issue('missingField', 'a requirement needs a value, a limit or a nominal value', 'requirement.value');
    }
    if (r.min !== undefined && r.max !== undefined && r.min > r.max) {
      issue('invalidRange', 'the minimum is greater than the maximum', 'requirement.min');
    }
    if (r.tolerance !== undefined && r.nominal === undefined) {
      issue('missingField', 'a tolerance needs a nominal value', 'requirement.nominal');
    }
  }
  const t = c.kind === 'table' ? c.table : undefined;
  if (t) {
    if (t.header.length === 0) issue('invalidTable', 'a table needs at least one column', 'table.header');
    t.rows.forEach((row, i) => {
      if (row.length !== t.header.length) issue('invalidTable', `row ${i + 1} does not have ${t.header.length} cells`, `table.rows.${i}`);
    });
  }
  if (c.kind === 'term' && c.term) {
    if (blank(c.term.ru)) issue('missingField', 'a term needs the Russian term', 'term.ru');
    if (blank(c.term.definition)) issue('missingField', 'a term needs a definition', 'term.definition');
  }
  if (c.kind === 'reference' && c.reference) {
    if (blank(c.reference.designation)) issue('missingField', 'a reference needs a designation', 'reference.designation');
    if (blank(c.reference.title)) issue('missingField', 'a reference needs a title', 'reference.title');
  }
}

/**
 * Every rule a revision's clauses must keep; an empty list means valid. Issue codes are stable so pages
 * can translate them. Cross-references are not checked here: see danglingReferences.
 */
export function validateClauses(clauses: readonly Clause[]): ClauseIssue[] {
  const issues: ClauseIssue[] = [];
  const seen = new Set<string>();
  let annexes = 0;
  clauses.forEach((c, index) => {
    const issue = (code: ClauseIssueCode, message: string, field?: string) =>
      issues.push({ index, key: c.key, code, message, ...(field ? { field } : {}) });
    if (!CLAUSE_KEY_PATTERN.test(c.key)) issue('invalidKey', `key "${c.key}" is not 1–64 letters, digits, - or _`);
    else if (seen.has(c.key)) issue('duplicateKey', `key "${c.key}" is used twice`);
    seen.add(c.key);
    const prev = clauses[index - 1];
    if (!Number.isInteger(c.depth) || c.depth < 0 || c.depth > (prev ? prev.depth + 1 : 0)) {
      issue('invalidDepth', prev ? `depth ${c.depth} after depth ${prev.depth}` : 'the first clause must be at depth 0');
    } else if (prev && c.depth === prev.depth + 1 && !isContainer(prev.kind)) {
      issue('parentIsLeaf', `a ${prev.kind} cannot contain other clauses`);
    }
    contentIssues(c, issue);
    if (c.depth === 0 && c.kind === 'section') {
      if (c.annex && ++annexes > MAX_ANNEXES) issue('tooManyAnnexes', `GOST 1.5 letters only ${MAX_ANNEXES} annexes`);
      if (!c.annex && !c.unnumbered && annexes > 0) issue('annexOrder', 'numbered sections must come before the annexes');
    }
  });
  return issues;
}

export interface DanglingReference { fromKey: string; toKey: string; field: 'body' | 'definition' | 'table' | 'methodKey' }

/** Cross-references and test-method links to keys not in the revision (warnings: numbering shows [?]). */
export function danglingReferences(clauses: readonly Clause[]): DanglingReference[] {
  const keys = new Set(clauses.map((c) => c.key));
  const out: DanglingReference[] = [];
  for (const c of clauses) {
    const check = (toKey: string, field: DanglingReference['field']) => {
      if (!keys.has(toKey)) out.push({ fromKey: c.key, toKey, field });
    };
    const inMarkup = (text: string | undefined, field: DanglingReference['field']) => {
      if (text?.includes('[[ref:')) for (const k of collectRefs(parseMarkup(text))) check(k, field);
    };
    inMarkup(c.body, 'body');
    inMarkup(c.term?.definition, 'definition');
    if (c.table) for (const cell of [...c.table.header, ...c.table.rows.flat()]) inMarkup(cell, 'table');
    if (c.requirement?.methodKey) check(c.requirement.methodKey, 'methodKey');
  }
  return out;
}

function indexOfKey(clauses: readonly Clause[], key: string): number {
  const i = clauses.findIndex((c) => c.key === key);
  if (i < 0) throw new ClauseOperationError('notFound', `no clause with key "${key}"`);
  return i;
}

/** End (exclusive) of the subtree that starts at index. */
export function subtreeEnd(clauses: readonly Clause[], index: number): number {
  const depth = clauses[index]!.depth;
  let end = index + 1;
  while (end < clauses.length && clauses[end]!.depth > depth) end++;
  return end;
}

/** Index of the parent of the clause at index, or -1 at top level. */
export function parentIndex(clauses: readonly Clause[], index: number): number {
  const depth = clauses[index]!.depth;
  for (let i = index - 1; i >= 0; i--) if (clauses[i]!.depth < depth) return i;
  return -1;
}

function previousSibling(clauses: readonly Clause[], index: number): number {
  const depth = clauses[index]!.depth;
  for (let i = index - 1; i >= 0; i--) {
    const d = clauses[i]!.depth;
    if (d === depth) return i;
    if (d < depth) return -1;
  }
  return -1;
}

function checked(result: Clause[], what: string): Clause[] {
  const issues = validateClauses(result);
  if (issues.length) {
    throw new ClauseOperationError('invalidResult', `${what}: ${issues.map((i) => i.message).join('; ')}`, issues);
  }
  return result;
}

const shift = (part: readonly Clause[], by: number) => part.map((c) => ({ ...c, depth: c.depth + by }));

/**
 * Inserts `clause` after the clause `afterKey` (null: at the very start). The clause's own depth says
 * where: after.depth + 1 makes it the first child of `after`; a depth ≤ after.depth makes it the next
 * sibling of `after` (or of its ancestor at that depth), placed after that whole subtree.
 */
export function insertAfter(clauses: readonly Clause[], afterKey: string | null, clause: Clause): Clause[] {
  if (clauses.some((c) => c.key === clause.key)) {
    throw new ClauseOperationError('duplicateKey', `key "${clause.key}" is already in this revision`);
  }
  let at = 0;
  if (afterKey === null) {
    if (clause.depth !== 0) throw new ClauseOperationError('invalidDepth', 'the first clause must be at depth 0');
  } else {
    let i = indexOfKey(clauses, afterKey);
    const after = clauses[i]!;
    if (clause.depth > after.depth + 1) {
      throw new ClauseOperationError('invalidDepth', `depth ${clause.depth} cannot follow depth ${after.depth}`);
    }
    if (clause.depth === after.depth + 1) {
      if (!isContainer(after.kind)) throw new ClauseOperationError('parentIsLeaf', `a ${after.kind} cannot contain other clauses`);
      at = i + 1;
    } else {
      while (clauses[i]!.depth > clause.depth) i = parentIndex(clauses, i);
      at = subtreeEnd(clauses, i);
    }
  }
  return checked([...clauses.slice(0, at), { ...clause }, ...clauses.slice(at)], 'cannot insert');
}

/** A patch field set to undefined removes that field. */
export function updateClause(clauses: readonly Clause[], key: string, patch: ClausePatch): Clause[] {
  const i = indexOfKey(clauses, key);
  const next: Record<string, unknown> = { ...clauses[i]! };
  for (const [field, value] of Object.entries(patch)) {
    if (field === 'key' || field === 'depth') continue;
    if (value === undefined) delete next[field];
    else next[field] = value;
  }
  return checked(clauses.map((c, j) => (j === i ? (next as Clause) : c)), 'cannot update');
}

/** Swaps the clause's subtree with the previous sibling's subtree. */
export function moveUp(clauses: readonly Clause[], key: string): Clause[] {
  const i = indexOfKey(clauses, key);
  const p = previousSibling(clauses, i);
  if (p < 0) throw new ClauseOperationError('noPreviousSibling', 'the clause is already first among its siblings');
  const end = subtreeEnd(clauses, i);
  return checked([...clauses.slice(0, p), ...clauses.slice(i, end), ...clauses.slice(p, i), ...clauses.slice(end)], 'cannot move up');
}

/** Swaps the clause's subtree with the next sibling's subtree. */
export function moveDown(clauses: readonly Clause[], key: string): Clause[] {
  const i = indexOfKey(clauses, key);
  const end = subtreeEnd(clauses, i);
  if (end >= clauses.length || clauses[end]!.depth !== clauses[i]!.depth) {
    throw new ClauseOperationError('noNextSibling', 'the clause is already last among its siblings');
  }
  const nextEnd = subtreeEnd(clauses, end);
  return checked([...clauses.slice(0, i), ...clauses.slice(end, nextEnd), ...clauses.slice(i, end), ...clauses.slice(nextEnd)], 'cannot move down');
}

/** Makes the clause (with its subtree) the last child of its previous sibling. */
export function indent(clauses: readonly Clause[], key: string): Clause[] {
  const i = indexOfKey(clauses, key);
  const p = previousSibling(clauses, i);
  if (p < 0) throw new ClauseOperationError('noPreviousSibling', 'there is no previous sibling to indent under');
  if (!isContainer(clauses[p]!.kind)) {
    throw new ClauseOperationError('parentIsLeaf', `a ${clauses[p]!.kind} cannot contain other clauses`);
  }
  const end = subtreeEnd(clauses, i);
  return checked([...clauses.slice(0, i), ...shift(clauses.slice(i, end), 1), ...clauses.slice(end)], 'cannot indent');
}

/**
 * Makes the clause (with its subtree) the next sibling of its parent. The clause moves to after the
 * parent's subtree, so its later siblings stay where they are instead of becoming its children.
 */
export function outdent(clauses: readonly Clause[], key: string): Clause[] {
  const i = indexOfKey(clauses, key);
  if (clauses[i]!.depth === 0) throw new ClauseOperationError('alreadyTopLevel', 'the clause is already at the top level');
  const end = subtreeEnd(clauses, i);
  const parentEnd = subtreeEnd(clauses, parentIndex(clauses, i));
  return checked([
    ...clauses.slice(0, i), ...clauses.slice(end, parentEnd), ...shift(clauses.slice(i, end), -1), ...clauses.slice(parentEnd),
  ], 'cannot outdent');
}

/** Removes the clause and everything under it. */
export function removeClause(clauses: readonly Clause[], key: string): Clause[] {
  const i = indexOfKey(clauses, key);
  return checked([...clauses.slice(0, i), ...clauses.slice(subtreeEnd(clauses, i))], 'cannot remove');
}

export interface ClauseNode { clause: Clause; children: ClauseNode[] }

export function toTree(clauses: readonly Clause[]): ClauseNode[] {
  const roots: ClauseNode[] = [];
  const open: ClauseNode[] = [];
  for (const clause of clauses) {
    const node: ClauseNode = { clause, children: [] };
    open.length = Math.min(open.length, clause.depth);
    (open.length ? open[open.length - 1]!.children : roots).push(node);
    open.push(node);
  }
  return roots;
}

/** The inverse of toTree: depths are taken from the nesting, not from the clauses. */
export function fromTree(nodes: readonly ClauseNode[], depth = 0): Clause[] {
  return nodes.flatMap((n) => [{ ...n.clause, depth }, ...fromTree(n.children, depth + 1)]);
}
