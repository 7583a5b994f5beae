// The preview of an uploaded draft (docs/draft-import.md): every clause with Accord's number,
// the number the file gave it, its kind, depth and heading; what was dropped and where; what was placed
// otherwise than the file has it; and what the check of a draft will ask to fix.
import { translate, type Locale } from '../../i18n/index.js';
import { markupToPlainText, parseMarkup } from '../../text/markup.js';
import { numberClauses } from '../../text/numbering.js';
import { checkQuality, severityOf } from '../../text/quality.js';
import { validateClauses, type Clause } from '../../text/clauses.js';
import type { DraftImportRecord } from './model.js';
import { kindCounts } from './structure.js';

const short = (s: string, n = 90) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** What a clause says in one line: its heading, term, reference, caption or the start of its text. */
function lineOf(c: Clause): string {
  if (c.heading) return c.heading;
  if (c.term) return `${c.term.ru}${c.term.en ? ` (${c.term.en})` : ''}: ${markupToPlainText(parseMarkup(c.term.definition))}`;
  if (c.reference) return `${c.reference.designation} ${c.reference.title}`;
  if (c.table) return `${c.table.caption ?? ''} (${c.table.header.length} × ${c.table.rows.length})`.trim();
  return markupToPlainText(parseMarkup(c.body ?? '')).split('\n')[0] ?? '';
}

export function draftImportPreview(u: DraftImportRecord, locale: Locale) {
  const labels = numberClauses(u.clauses);
  const t = (key: string, params: Record<string, string | number> = {}) => translate(locale, key, params);
  const rows = u.clauses.map((c) => {
    const label = labels.get(c.key);
    const number = label?.text[locale] ?? '';
    const written = u.written[c.key] ?? '';
    return {
      key: c.key, depth: c.depth, kind: c.kind, kindName: t(`clauses.kind.${c.kind}`),
      number, written, differs: !!written && !!label && label.number !== written,
      annex: c.annex ? t(`draftImport.annex.${c.annex}`) : '', line: short(lineOf(c)),
    };
  });
  const where = (w: string) => (w ? t('draftImport.at', { where: w }) : t('draftImport.beforeFirstClause'));
  const dropped = u.dropped.map((d) => ({ kind: d.kind, count: d.count, text: `${t(`draftImport.dropped.${d.kind}`, { count: d.count })} ${where(d.where)}` }));
  const notices = u.notices.map((n) => ({ code: n.code, text: `${t(`draftImport.notice.${n.code}`, n.params ?? {})} ${where(n.where)}` }));
  const issues = validateClauses(u.clauses).map((i) => ({ code: i.code, text: t(`clauses.issue.${i.code}`) }));
  const toFix = checkQuality(u.clauses).map((f) => {
    const c = u.clauses.find((x) => x.key === f.key);
    const label = labels.get(f.key)?.text[locale] ?? '';
    return { code: f.code, severity: severityOf(f.code, 'circulate'), clause: [label, c?.heading ?? c?.term?.ru ?? c?.table?.caption].filter(Boolean).join(' '), text: t(`quality.${f.code}`, f.excerpt ? { excerpt: f.excerpt } : {}) };
  });
  const counts = kindCounts(u.clauses);
  return {
    id: String(u._id), fileName: u.fileName, macros: u.macros, expiresAt: u.expiresAt.toISOString(), confirmed: !!u.confirmedAt, documentId: String(u.documentId),
    summary: Object.entries(counts).map(([kind, n]) => `${t(`clauses.kind.${kind}`)}: ${n}`).join(' · '),
    rows, dropped, notices, issues, toFix, canConfirm: !u.confirmedAt && issues.length === 0,
  };
}
