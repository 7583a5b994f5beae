// The redline between two revisions: every changed clause with its changed fields word by word.
// Insertions are blue and underlined, deletions red and struck through, so the difference survives a
// black-and-white printer; the comparison is named in the header of every page.
import type { Readable } from 'node:stream';
import type { ClauseStatus, WordRun } from '../text/redline.js';
import { fill, pageOf, type PdfAssets } from './assets.js';
import { pageDecorations } from './decorations.js';
import { createPdf, streamPages, type OutlineEntry, type RenderOptions } from './document.js';
import { A4_PORTRAIT, Flow, MM } from './layout.js';
import type { Rgb, Span, TextStyle } from './text.js';

export interface RedlineRow {
  key: string;
  status: ClauseStatus;
  moved: boolean;
  renumbered: boolean;
  labelBefore?: string;
  labelAfter?: string;
  /** The clause kind as the reader calls it («Пункт», «Таблица»…), already localised. */
  kind?: string;
  heading?: string;
  /** Whole text of an added or removed clause. */
  text?: string;
  fields: { field: string; runs: WordRun[] }[];
  /** The comments whose proposed change made this change, as a line («Изменено по замечанию BY-001»; docs/applying-changes.md). */
  comments?: string;
}

export interface RedlinePdfView {
  lang: 'ru' | 'en';
  documentTitle: string;
  designation?: string;
  from: number;
  to: number;
  counts: Record<ClauseStatus, number>;
  unchanged: number;
  rows: RedlineRow[];
  /** Fixed file dates (the later revision's): the same comparison gives the same bytes. */
  createdAt: Date;
}

export const INSERT_COLOR: Rgb = [0.05, 0.3, 0.72];
export const DELETE_COLOR: Rgb = [0.75, 0.06, 0.06];

const BODY: TextStyle = { face: 'serif', size: 10.5 };
const LEADING = 14;
const ins = (s: TextStyle): TextStyle => ({ ...s, color: INSERT_COLOR, underline: true });
const del = (s: TextStyle): TextStyle => ({ ...s, color: DELETE_COLOR, strike: true });

export function runSpans(runs: readonly WordRun[], style: TextStyle): Span[] {
  const out: Span[] = [];
  runs.forEach((r, i) => {
    // A deletion followed at once by its replacement would print as one word («староеновое»).
    const prev = runs[i - 1];
    if (prev?.kind === 'delete' && r.kind === 'insert' && !/\s$/.test(prev.text) && !/^\s/.test(r.text)) out.push({ text: ' ', style });
    out.push({ text: r.text, style: r.kind === 'insert' ? ins(style) : r.kind === 'delete' ? del(style) : style });
  });
  return out;
}

export function renderRedlinePdf(view: RedlinePdfView, assets: PdfAssets, options: RenderOptions = {}): Readable {
  const t = assets.text.redline[view.lang];
  const name = fill(t.running, { from: view.from, to: view.to });
  const pdf = createPdf({
    title: `${fill(t.title, { from: view.from, to: view.to })}. ${view.documentTitle}`,
    subject: view.documentTitle,
    keywords: [view.designation, name].filter(Boolean).join('; '),
    lang: view.lang,
    createdAt: view.createdAt,
  }, assets.fonts, options);
  const f = new Flow(pdf.faces, A4_PORTRAIT);
  const outline: OutlineEntry[] = [];
  f.newPage();
  f.paragraph([{ text: fill(t.title, { from: view.from, to: view.to }), style: { face: 'sansBold', size: 15 } }], { leading: 19, align: 'left', together: true });
  f.paragraph([{ text: view.documentTitle, style: { face: 'serifItalic', size: 11 } }], { leading: 15, align: 'left', spaceAfter: 6 });
  const counts = fill(t.counts, { ...view.counts, unchanged: view.unchanged });
  f.paragraph([{ text: counts, style: { face: 'sans', size: 9.5 } }], { leading: 13, align: 'left', spaceAfter: 4 });
  f.paragraph([
    { text: t.legendInserted, style: ins({ face: 'sans', size: 9.5 }) },
    { text: '   ', style: { face: 'sans', size: 9.5 } },
    { text: t.legendDeleted, style: del({ face: 'sans', size: 9.5 }) },
  ], { leading: 13, align: 'left', spaceAfter: 8 });
  f.rule(f.left, f.left + f.width, f.y, 0.8);
  f.y += 8;

  if (view.rows.length === 0) f.paragraph([{ text: t.noChanges, style: BODY }], { leading: LEADING });
  for (const row of view.rows) {
    // PT Sans has no arrow: a renumbered clause says what it was.
    const label = row.labelBefore && row.labelAfter && row.labelBefore !== row.labelAfter
      ? `${row.labelAfter} (${t.formerly} ${row.labelBefore})` : row.labelAfter ?? row.labelBefore ?? '';
    const head: Span[] = [
      { text: `${t.status[row.status]}${row.moved && row.status !== 'moved' ? ` (${t.movedNote})` : ''}`, style: { face: 'sansBold', size: 9, color: row.status === 'added' ? INSERT_COLOR : row.status === 'removed' ? DELETE_COLOR : [0.3, 0.3, 0.3] } },
      { text: `   ${[label, row.kind].filter(Boolean).join(' · ')}`, style: { face: 'sansBold', size: 10.5 } },
      ...(row.heading ? [{ text: `  ${row.heading}`, style: { face: 'sans', size: 10.5 } as TextStyle }] : []),
    ];
    f.space(6);
    f.ensure(13 + 2 * LEADING);
    outline.push({ title: [label, row.heading].filter(Boolean).join(' ') || t.status[row.status], page: f.pageIndex, y: f.y, depth: 0 });
    f.paragraph(head, { leading: 14, align: 'left', keepWithNext: LEADING });
    if (row.text) {
      const style = row.status === 'added' ? ins(BODY) : row.status === 'removed' ? del(BODY) : BODY;
      f.paragraph([{ text: row.text, style }], { leading: LEADING, x: 4 * MM, spaceAfter: 2 });
    }
    for (const field of row.fields) {
      f.paragraph([{ text: field.field, style: { face: 'sans', size: 8.5, color: [0.35, 0.35, 0.35] } }], { leading: 11, x: 4 * MM, align: 'left', keepWithNext: LEADING });
      f.paragraph(runSpans(field.runs, BODY), { leading: LEADING, x: 4 * MM, align: 'left', spaceAfter: 3 });
    }
    if (row.comments) f.paragraph([{ text: row.comments, style: { face: 'sans', size: 9, color: [0.3, 0.3, 0.3] } }], { leading: 12, x: 4 * MM, align: 'left', spaceAfter: 2 });
    f.rule(f.left, f.left + f.width, f.y + 2, 0.3, [0.7, 0.7, 0.7]);
    f.y += 2;
  }
  const decorate = pageDecorations(pdf.faces, {
    running: `${name} · ${view.designation ?? view.documentTitle}`,
    footer: (n, m) => pageOf(assets.text, view.lang, n, m),
  });
  return streamPages(pdf, f.pages, decorate, outline);
}
