// The preview of an upload, for its page and for the JSON API alike: every row with the clause it matched
// (number and heading), what becomes of it, and every problem in the reader's language.
import type { DocumentRecord } from '../../documents/index.js';
import { getRevision } from '../../documents/index.js';
import { translate, type Locale } from '../../i18n/index.js';
import { markupToPlainText, parseMarkup } from '../../text/markup.js';
import { numberClauses, resolveCrossReferences } from '../../text/numbering.js';
import type { CommentImportRecord } from './model.js';
import type { ImportRow, Problem } from './rows.js';
import { alreadyImported, importKeyOf } from './service.js';

export type RowStatus = 'new' | 'imported' | 'repeat' | 'problem';

export interface PreviewRow {
  table: string;
  row: number;
  status: RowStatus;
  mb: string;
  clauseWritten: string;
  clause: { key: string; number: string; heading: string } | null;
  wholeDocument: boolean;
  unknownClause: boolean;
  type: string | null;
  typeWritten: string;
  text: string;
  proposedChange: string | null;
  anchor: { kind: string; ref: string } | null;
  sameAs: number | null;
  problems: { code: string; message: string }[];
  /** What to check in the row, though it may be imported as it is. */
  warnings: { code: string; message: string }[];
}

interface NumberedRevision {
  labels: ReturnType<typeof numberClauses>;
  byKey: Map<string, { heading?: string; table?: { caption?: string }; body?: string }>;
  resolve: (key: string) => string | undefined;
}

/** The clause a row matched: its number and heading (a clause without one, the start of its text). */
function clauseOf(r: ImportRow, rev: NumberedRevision, locale: Locale) {
  if (r.match.kind !== 'clause') return null;
  const c = rev.byKey.get(r.match.key);
  const start = () => markupToPlainText(parseMarkup(c?.body ?? ''), rev.resolve).split('\n')[0]!;
  const heading = c?.heading ?? c?.table?.caption ?? start();
  return { key: r.match.key, number: rev.labels.get(r.match.key)?.text[locale] ?? '', heading: heading.length > 80 ? `${heading.slice(0, 79)}…` : heading };
}

/** The preview of an upload as its owner sees it now (rows imported meanwhile are shown as such). */
export async function importPreview(doc: DocumentRecord, u: CommentImportRecord, locale: Locale) {
  const revision = await getRevision(doc, u.revision);
  const labels = numberClauses(revision.clauses);
  const rev = { labels, byKey: new Map(revision.clauses.map((c) => [c.key, c])), resolve: resolveCrossReferences(revision.clauses, locale, labels) };
  const imported = await alreadyImported(u);
  const said = (p: Problem) => ({ code: p.key.slice(p.key.lastIndexOf('.') + 1), message: translate(locale, p.key, p.params ?? {}) });
  const rows: PreviewRow[] = (u.rows as (ImportRow & { sameAs?: number })[]).map((r) => ({
    table: r.table,
    row: r.row,
    status: r.problems.length ? 'problem' : r.sameAs !== undefined ? 'repeat' : imported.has(importKeyOf(u, r)) ? 'imported' : 'new',
    mb: r.mb,
    clauseWritten: r.clause,
    clause: clauseOf(r, rev, locale),
    wholeDocument: r.match.kind !== 'clause',
    unknownClause: r.match.kind === 'unknown',
    type: r.type ?? null,
    typeWritten: r.typeWritten,
    text: r.text,
    proposedChange: r.proposedChange ?? null,
    anchor: r.anchor ?? null,
    sameAs: r.sameAs ?? null,
    problems: r.problems.map(said),
    warnings: (r.warnings ?? []).map(said),
  }));
  const count = (s: RowStatus) => rows.filter((r) => r.status === s).length;
  const counts = { rows: rows.length, new: count('new'), imported: count('imported'), repeat: count('repeat'), problem: count('problem'), unknownClause: rows.filter((r) => r.unknownClause).length, warning: rows.filter((r) => r.warnings.length).length };
  return {
    id: String(u._id),
    document: String(u.document),
    revision: u.revision,
    delegation: u.delegation,
    fileName: u.fileName,
    kind: u.kind,
    layout: u.layout,
    macros: u.macros,
    expiresAt: u.expiresAt.toISOString(),
    confirmed: !!u.confirmedAt,
    created: u.created ?? null,
    counts,
    canConfirm: !u.confirmedAt && counts.problem === 0 && counts.new > 0,
    rows,
  };
}
