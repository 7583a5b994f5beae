import { translate, type Locale } from '../i18n/index.js';
import { markupToPlainText, parseMarkup } from './markup.js';
import { diffWords, type FieldChange, type RevisionComparison } from './redline.js';
import { formatNumber } from './view-model.js';

type Side = (key: string) => string | undefined;
const MARKUP = /\[\[ref:|[\^_]\{|\*|\\/;

/**
 * The redline compares the stored markup, where a cross-reference is [[ref:KEY]] and a key means
 * nothing to a reader. The page and the PDF show what is printed instead: each side's references as
 * that side's clause numbers, sub/superscripts as characters, numbers with the locale's decimal comma.
 */
function readableFields(fields: readonly FieldChange[], before: Side, after: Side, locale: Locale): FieldChange[] {
  const text = (value: string, field: string, side: Side, markup: boolean) => {
    if (field === 'requirement.methodKey') return value && (side(value) ?? value);
    if (/^requirement\.(min|max|nominal|tolerance)$/.test(field) && value !== '' && Number.isFinite(Number(value))) return formatNumber(Number(value), locale);
    return markup ? markupToPlainText(parseMarkup(value), side) : value;
  };
  return fields.flatMap((f) => {
    // Both sides the same way, so that only a real change shows (not paragraph breaks the markup rewrites).
    const markup = MARKUP.test(f.before) || MARKUP.test(f.after);
    const b = text(f.before, f.field, before, markup);
    const a = text(f.after, f.field, after, markup);
    if (b === f.before && a === f.after) return [f];
    return b === a ? [] : [{ ...f, before: b, after: a, runs: diffWords(b, a) }];
  });
}

/** What the compare view reads of the document and of the two revisions (records from documents/model.ts fit). */
export interface ComparedDocument { _id: { toString(): string }; titles: { ru: string; en: string }; currentRevision: number }
export interface ComparedRevision { number: number }

/** The redline as the compare page shows it: one row per clause, changed fields as word runs. */
export function comparisonView(result: { doc: ComparedDocument; comparison: RevisionComparison; from: ComparedRevision; to: ComparedRevision }, locale: Locale) {
  const { doc, comparison, from, to } = result;
  const numbers = (which: 'before' | 'after'): Side => {
    const map = new Map<string, string>();
    for (const c of comparison.clauses) {
      const label = which === 'before' ? c.labelBefore : c.labelAfter;
      const clause = which === 'before' ? c.before : c.after;
      const shown = label?.ref[locale] ?? clause?.heading;
      if (shown !== undefined) map.set(c.key, shown);
    }
    return (key) => map.get(key);
  };
  const before = numbers('before');
  const after = numbers('after');
  const readable = (value: string, side: Side) => (MARKUP.test(value) ? markupToPlainText(parseMarkup(value), side) : value);
  return {
    doc: { id: String(doc._id), title: doc.titles[locale] || doc.titles.ru, currentRevision: doc.currentRevision },
    from: from.number,
    to: to.number,
    counts: comparison.counts,
    rows: comparison.clauses
      .filter((c) => c.status !== 'unchanged')
      .map((c) => ({
        key: c.key,
        status: c.status,
        moved: c.moved,
        renumbered: c.renumbered,
        labelBefore: c.labelBefore?.text[locale],
        labelAfter: c.labelAfter?.text[locale],
        kind: (c.after ?? c.before)?.kind,
        heading: (c.after ?? c.before)?.heading,
        text: c.status === 'added' ? readable(plain(c.after), after) : c.status === 'removed' ? readable(plain(c.before), before) : undefined,
        fields: readableFields(c.fields, before, after, locale).map((f) => ({ field: fieldLabel(f.field, locale), runs: f.runs })),
      })),
    unchanged: comparison.counts.unchanged,
  };
}

function plain(c: { heading?: string; body?: string; requirement?: { parameter: string }; term?: { ru: string; definition: string }; table?: { caption?: string }; reference?: { designation: string; title: string } } | undefined): string {
  if (!c) return '';
  return [c.heading, c.requirement?.parameter, c.term && `${c.term.ru} — ${c.term.definition}`, c.table?.caption, c.reference && `${c.reference.designation} ${c.reference.title}`, c.body].filter(Boolean).join(' — ');
}

/** «Table, row 3, column 2» for 'table.rows.2.1'; the field names come from the locale file. */
function fieldLabel(field: string, locale: Locale): string {
  const parts = field.split('.');
  const t = (k: string, p: Record<string, unknown> = {}) => translate(locale, `redline.field.${k}`, p);
  if (parts[0] === 'table' && parts[1] === 'rows') return t('tableCell', { row: Number(parts[2]) + 1, column: Number(parts[3]) + 1 });
  if (parts[0] === 'table' && parts[1] === 'header') return t('tableHeader', { column: Number(parts[2]) + 1 });
  return t(parts.slice(0, 2).join('.'));
}
