// The preview of an upload, for its page and for the JSON API alike: every row with the clause it matched
// (number and heading), what becomes of it, and every problem in the reader's language.
import type { DocumentRecord } from '../../documents/index.js';
import { getRevision } from '../../documents/index.js';
import { translate, type Locale } from '../../i18n/index.js';
import { numberClauses } from '../../text/numbering.js';
import type { CommentImportRecord } from './model.js';
import type { ImportRow } from './rows.js';
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
}

function clauseOf(r: ImportRow, rev: { labels: ReturnType<typeof numberClauses>; byKey: Map<string, { heading?: string; table?: { caption?: string }; body?: string }> }, locale: Locale) {
  if (r.match.kind !== 'clause') return null;
  const c = rev.byKey.get(r.match.key);
  return { key: r.match.key, number: rev.labels.get(r.match.key)?.text[locale] ?? '', heading: c?.heading ?? c?.table?.caption ?? (c?.body ?? '').slice(0, 80) };
}

/** The preview of an upload as its owner sees it now (rows imported meanwhile are shown as such). */
export async function importPreview(doc: DocumentRecord, u: CommentImportRecord, locale: Locale) {
  const revision = await getRevision(doc, u.revision);
  const rev = { labels: numberClauses(revision.clauses), byKey: new Map(revision.clauses.map((c) => [c.key, c])) };
  const imported = await alreadyImported(u);
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
    problems: r.problems.map((p) => ({ code: p.key.slice(p.key.lastIndexOf('.') + 1), message: translate(locale, p.key, p.params ?? {}) })),
  }));
  const count = (s: RowStatus) => rows.filter((r) => r.status === s).length;
  const counts = { rows: rows.length, new: count('new'), imported: count('imported'), repeat: count('repeat'), problem: count('problem'), unknownClause: rows.filter((r) => r.unknownClause).length };
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
