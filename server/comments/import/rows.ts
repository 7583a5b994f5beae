// One row of a comment table judged: its type read from the words delegations write («te», «ge
// (general)», «техническое»), its clause matched, the element it points at, and what is wrong with it.
// Text is kept as typed (line breaks, quotation marks, signs and letters of any alphabet), only cleaned
// as every text that comes in is (server/http/clean-text.ts) and trimmed at its ends.
import { createHash } from 'node:crypto';
import { cleanText } from '../../http/clean-text.js';
import { newCommentInput } from '../inputs.js';
import type { CommentType } from '../model.js';
import type { ClauseIndex, ClauseMatch } from './clause-match.js';
import type { CommentTable, Field } from './layout.js';

export interface Problem {
  /** A locale key (commentImport.problem.*) and its parameters. */
  key: string;
  params?: Record<string, string>;
}

export interface ImportRow {
  /** Where the row is in the file: the table (or sheet) and its row number there. */
  table: string;
  row: number;
  mb: string;
  clause: string;
  match: ClauseMatch;
  type?: CommentType;
  typeWritten: string;
  text: string;
  proposedChange?: string;
  /** The template's line number column, as written. */
  line?: string;
  anchor?: { kind: 'paragraph' | 'table' | 'figure'; ref: string };
  /** Problems that keep the file from being imported. */
  problems: Problem[];
  /** What the person should check, though it keeps nothing from being imported (a clause Excel kept as a number). */
  warnings?: Problem[];
  /** The row's content as one hash: the same row uploaded again is known by it (docs/comment-import.md). */
  hash: string;
}

const TYPE_WORDS: [CommentType, RegExp][] = [
  ['ge', /^(ge|gen|general|общ[а-я]*)$/],
  ['te', /^(te|tech|technical|техн[а-я]*)$/],
  ['ed', /^(ed|edit|editorial|editor|редак[а-я]*|ред)$/],
];

/** The type a cell names, by its first word: «ge», «ge (general)», «Technical», «редакционное». */
export function typeOf(written: string): CommentType | undefined {
  const first = written.trim().toLowerCase().split(/[\s(/,;.:-]+/)[0] ?? '';
  return TYPE_WORDS.find(([, words]) => words.test(first))?.[0];
}

const ANCHORS: [NonNullable<ImportRow['anchor']>['kind'], RegExp][] = [
  ['table', /^(таблица|табл\.?|table|tab\.)\s*(.+)$/i],
  ['figure', /^(рисунок|рис\.|figure|fig\.)\s*(.+)$/i],
  ['paragraph', /^(абзац|параграф|paragraph|para\.)\s*(.+)$/i],
];

function anchorOf(written: string): ImportRow['anchor'] {
  const s = written.trim().replace(/\s+/g, ' ');
  if (!s) return undefined;
  for (const [kind, pattern] of ANCHORS) {
    const m = pattern.exec(s);
    if (m) return { kind, ref: m[2]!.trim() };
  }
  return { kind: 'paragraph', ref: s };
}

/** A line number as written («12», «12–15»); a comment number an older summary put in that column («BY-001») is none. */
function lineOf(written: string): string | undefined {
  const s = written.replace(/\s+/g, ' ').trim().slice(0, 40);
  return s && !/^[A-Z]{2,3}-\d+$/.test(s) ? s : undefined;
}

const cellOf = (cells: string[], columns: Map<Field, number>, f: Field) => {
  const i = columns.get(f);
  return i === undefined ? '' : cleanText(cells[i] ?? '').replace(/\r\n?/g, '\n').trim();
};

export interface RowContext {
  delegation: string;
  /** Codes of every delegation of the committee: a row marked with another one is not ours to import. */
  delegationCodes: readonly string[];
  clauses: ClauseIndex;
}

function problemsOf(r: Omit<ImportRow, 'problems' | 'hash'>, ctx: RowContext): Problem[] {
  const problems: Problem[] = [];
  const code = /^[A-Z]{2,3}\b/.exec(r.mb.toUpperCase())?.[0];
  if (code && code !== ctx.delegation && ctx.delegationCodes.includes(code)) problems.push({ key: 'commentImport.problem.otherDelegation', params: { mb: code, delegation: ctx.delegation } });
  if (!r.text) problems.push({ key: 'commentImport.problem.emptyComment' });
  if (!r.type) problems.push({ key: r.typeWritten ? 'commentImport.problem.badType' : 'commentImport.problem.noType', params: { type: r.typeWritten } });
  // The rest of the rules a comment typed in the form meets (lengths): the same schema.
  const checked = newCommentInput.safeParse({ clauseKey: 'x', type: r.type ?? 'ge', text: r.text || 'x', proposedChange: r.proposedChange, anchorKind: r.anchor?.kind, anchorRef: r.anchor?.ref });
  if (!checked.success) for (const issue of checked.error.issues) problems.push({ key: 'commentImport.problem.tooLong', params: { field: String(issue.path[0]) } });
  return problems;
}

/** A clause a spreadsheet kept as a number or a date: what was typed may be lost (4.10 kept as 4.1). */
function warningsOf(clause: string, column: number | undefined, notAsTyped: Record<number, 'number' | 'date'> | undefined): Problem[] {
  const stored = column === undefined ? undefined : notAsTyped?.[column];
  if (!stored || !clause) return [];
  return [{ key: stored === 'date' ? 'commentImport.warning.clauseDate' : 'commentImport.warning.clauseNumber', params: { clause } }];
}

/** The rows of a comment table as comments to be, each with its problems; rows with nothing in them are left out. */
export function importRows(t: CommentTable, ctx: RowContext): ImportRow[] {
  const rows: ImportRow[] = [];
  for (const { n, cells, notAsTyped } of t.rows) {
    const get = (f: Field) => cellOf(cells, t.columns, f);
    const [clause, text, typeWritten, proposed] = [get('clause'), get('comment'), get('type'), get('proposed')];
    if (!clause && !text && !typeWritten && !proposed) continue;
    const base = { table: t.table, row: n, mb: get('mb'), clause, match: ctx.clauses.match(clause), type: typeOf(typeWritten), typeWritten, text, proposedChange: proposed || undefined, line: lineOf(get('line')), anchor: anchorOf(get('paragraph')) };
    const hash = createHash('sha256').update(JSON.stringify([base.match.kind === 'clause' ? base.match.key : clause, base.anchor ?? null, base.type ?? typeWritten, text, proposed])).digest('hex');
    const warnings = warningsOf(clause, t.columns.get('clause'), notAsTyped);
    rows.push({ ...base, problems: problemsOf(base, ctx), ...(warnings.length ? { warnings } : {}), hash });
  }
  return rows;
}
