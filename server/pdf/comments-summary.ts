// The summary of comments in the columns of the ISO comment template, landscape, grouped by clause, the
// header row repeated on every page. Its view model is defined here; the comment feature fills it.
import type { Readable } from 'node:stream';
import { fill, pageOf, type PdfAssets } from './assets.js';
import { pageDecorations } from './decorations.js';
import { createPdf, streamPages, type OutlineEntry, type RenderOptions } from './document.js';
import { A4_LANDSCAPE, Flow } from './layout.js';
import { layoutTable, type TableCell } from './table.js';
import type { Rgb, Span, TextStyle } from './text.js';

export type CommentType = 'ge' | 'te' | 'ed';
export type Disposition = 'accepted' | 'partiallyAccepted' | 'rejected' | 'noted' | 'referred';

export interface SummaryComment {
  /** Member body / national committee: the delegation code, BY or RU. */
  mb: string;
  /** BY-001. */
  number?: string;
  line?: string;
  /** The clause as numbered in the commented revision, '4.2', 'Приложение А', or '' for general. */
  clause: string;
  /** Paragraph, figure or table, as the author named it. */
  element?: string;
  type: CommentType;
  /** Plain text as typed; line breaks separate paragraphs. */
  comment: string;
  proposedChange?: string;
  disposition?: Disposition;
  /** The secretariat's observations on the comment. */
  observations?: string;
}

export interface SummaryGroup {
  /** '4.2' (printed as «Пункт 4.2»), or '' for comments on the document as a whole. */
  clause: string;
  /** Put before the group's title, «Этап 1»: the disposition report groups each round's clauses. */
  prefix?: string;
  heading?: string;
  comments: SummaryComment[];
}

export interface CommentsSummaryView {
  lang: 'ru' | 'en';
  documentTitle: string;
  designation?: string;
  revision: number;
  stage: string;
  groups: SummaryGroup[];
  /** The disposition report of all rounds (docs/answers.md) names itself: its title and the line under it. */
  title?: string;
  subtitle?: string;
  /** Fixed file dates: the same summary gives the same bytes. */
  createdAt: Date;
}

const CELL: TextStyle = { face: 'serif', size: 8.5 };
const HEAD: TextStyle = { face: 'sansBold', size: 8 };
const GROUP_FILL: Rgb = [0.9, 0.9, 0.9];
const HEAD_FILL: Rgb = [0.82, 0.86, 0.92];

const paragraphs = (text: string | undefined, style: TextStyle): Span[][] =>
  (text ?? '').split(/\r?\n\s*\n?/).filter((p) => p.trim()).map((p) => [{ text: p, style }]);

export function renderCommentsSummaryPdf(view: CommentsSummaryView, assets: PdfAssets, options: RenderOptions = {}): Readable {
  const t = assets.text.comments[view.lang];
  const doc = view.designation ?? view.documentTitle;
  const heading = view.title ?? t.title;
  const pdf = createPdf({ title: `${heading}. ${view.documentTitle}`, subject: view.documentTitle, keywords: [view.designation, heading].filter(Boolean).join('; '), lang: view.lang, createdAt: view.createdAt }, assets.fonts, options);
  const f = new Flow(pdf.faces, A4_LANDSCAPE);
  const outline: OutlineEntry[] = [];
  f.newPage();
  f.paragraph([{ text: heading, style: { face: 'sansBold', size: 14 } }], { leading: 18, align: 'left', together: true });
  f.paragraph([{ text: `${view.documentTitle}${view.designation ? ` (${view.designation})` : ''} · ${view.subtitle ?? `${t.revision} ${view.revision} · ${t.stage} ${view.stage}`}`, style: { face: 'serifItalic', size: 10 } }], { leading: 13, align: 'left', spaceAfter: 3 });
  f.paragraph([{ text: t.footnotes, style: { face: 'sans', size: 8 } }], { leading: 11, align: 'left', spaceAfter: 8 });

  const cell = (text: string | undefined, align: TableCell['align'] = 'left', style = CELL): TableCell => ({ paragraphs: paragraphs(text, style), align });
  const rows: TableCell[][] = [];
  const groupAt = new Map<number, string>();
  for (const g of view.groups) {
    // «Пункт 4.2», but an annex names itself («Приложение А»).
    const name = /^[\dА-ЯA-Z](\.|$)/u.test(g.clause) ? `${t.clause} ${g.clause}` : g.clause;
    const title = `${g.prefix ? `${g.prefix} · ` : ''}${g.clause ? `${name}${g.heading ? ` — ${g.heading}` : ''}` : t.general}`;
    groupAt.set(rows.length, title);
    rows.push([{ paragraphs: [[{ text: title, style: { face: 'sansBold', size: 8.5 } }]], colSpan: 8, fill: GROUP_FILL }]);
    for (const c of g.comments) {
      const observations = [c.disposition ? t.dispositions[c.disposition] : undefined, c.observations].filter(Boolean).join('. ');
      rows.push([
        cell([c.mb, c.number].filter(Boolean).join('\n\n'), 'center'),
        cell(c.line, 'center'),
        cell(c.clause, 'center'),
        cell(c.element),
        cell(c.type, 'center'),
        cell(c.comment),
        cell(c.proposedChange),
        cell(observations),
      ]);
    }
  }
  if (rows.length === 0) f.paragraph([{ text: t.none, style: CELL }], { leading: 12 });
  else {
    layoutTable(f, {
      columns: [7, 6, 7, 9, 5, 26, 22, 18],
      header: [t.columns.map((h) => cell(h, 'center', HEAD))],
      rows,
      leading: 10.5,
      headerFill: HEAD_FILL,
      onRowStart: (index, page, y) => {
        const title = groupAt.get(index);
        if (title !== undefined) outline.push({ title, page, y, depth: 0 });
      },
    });
  }
  const decorate = pageDecorations(pdf.faces, {
    running: view.title ? `${view.title} · ${doc}` : fill(t.running, { document: doc }),
    footer: (n, m) => pageOf(assets.text, view.lang, n, m),
  });
  return streamPages(pdf, f.pages, decorate, outline);
}
