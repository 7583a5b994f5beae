import { translate, type Locale } from '../i18n/index.js';
import type { DocumentRecord, RevisionRecord } from './model.js';
import type { RevisionComparison } from './redline.js';

/** The redline as the compare page shows it: one row per clause, changed fields as word runs. */
export function comparisonView(result: { doc: DocumentRecord; comparison: RevisionComparison; from: RevisionRecord; to: RevisionRecord }, locale: Locale) {
  const { doc, comparison, from, to } = result;
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
        text: c.status === 'added' ? plain(c.after) : c.status === 'removed' ? plain(c.before) : undefined,
        fields: c.fields.map((f) => ({ field: fieldLabel(f.field, locale), runs: f.runs })),
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
