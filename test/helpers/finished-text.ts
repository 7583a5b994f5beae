// A template's text filled in the way a drafter finishes it, so that the quality check finds nothing
// (server/text/quality.ts): the blanks («…») written, the empty tables given a row, a term under the
// terms section and an entry in the bibliography. Tests that need the bare template say so.
import { Revision } from '../../server/documents/model.js';
import type { Clause } from '../../server/text/clauses.js';

function filledIn(text: string): string {
  return text.replace(/…|\.\.\./g, 'установленного вида');
}

export function finished(clauses: readonly Clause[]): Clause[] {
  const out: Clause[] = [];
  for (const c of clauses) {
    const f: Clause = { ...c };
    if (f.heading) f.heading = filledIn(f.heading);
    if (f.body) f.body = filledIn(f.body);
    if (f.table) {
      const rows = f.table.rows.length ? f.table.rows : [f.table.header.map((_, i) => (i === 0 ? 'Напряжение питания, В' : '5,0'))];
      f.table = { ...f.table, rows: rows.map((r) => r.map(filledIn)) };
    }
    out.push(f);
    if (c.kind === 'section' && /^Термины/u.test(c.heading ?? '') && !clauses.some((t) => t.kind === 'term')) {
      out.push({ key: 'term-chip', kind: 'term', depth: c.depth + 1, term: { ru: 'кристалл', en: 'die', definition: 'Часть полупроводниковой пластины, в объёме и на поверхности которой сформированы элементы микросхемы.' } });
    }
    if (c.kind === 'section' && /^Библиография/u.test(c.heading ?? '') && !clauses.some((b) => b.kind === 'bibliography')) {
      out.push({ key: 'bib-first', kind: 'bibliography', depth: c.depth + 1, body: 'ISO 80000-1:2022 Quantities and units — Part 1: General' });
    }
  }
  return out;
}

/** Fills in the working revision of a draft just made from a template. */
export async function finishTemplateText(docId: string): Promise<void> {
  const rev = await Revision.findOne({ document: docId, frozen: false }).sort({ number: -1 });
  if (!rev) throw new Error(`no working revision of ${docId}`);
  const clauses = finished(rev.toObject().clauses as Clause[]);
  // The edit version stays: the draft was just made, and tests edit it from version 0 as a new draft is.
  await Revision.updateOne({ _id: rev._id }, { $set: { clauses } });
}
