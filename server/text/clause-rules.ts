// The rules a revision's clauses must keep (validateClauses), and the cross-references that point
// nowhere (danglingReferences, warnings only).
import { collectRefs, parseMarkup } from './markup.js';
import { CLAUSE_KEY_PATTERN, MAX_ANNEXES, isContainer, type Clause, type ClauseIssue, type ClauseIssueCode, type ClauseKind } from './clause-model.js';

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

function contentIssues(c: Clause, issue: (code: ClauseIssueCode, message: string, field?: string, params?: Record<string, number>) => void): void {
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
      if (row.length !== t.header.length) issue('invalidTable', `row ${i + 1} does not have ${t.header.length} cells`, `table.rows.${i}`, { row: i + 1, cells: row.length, columns: t.header.length });
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
    const issue = (code: ClauseIssueCode, message: string, field?: string, params?: Record<string, number>) =>
      issues.push({ index, key: c.key, code, message, ...(field ? { field } : {}), ...(params ? { params } : {}) });
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
