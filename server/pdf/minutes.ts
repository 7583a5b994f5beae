// The minutes of a committee meeting (server/meetings): who took part, by delegation, and each agenda item
// with its decision. Its view model is defined here and filled by the meetings feature, words included;
// the file is PDF/A like the other documents (document.ts), with the project's fonts.
import type { Readable } from 'node:stream';
import type { PdfAssets } from './assets.js';
import { pageDecorations } from './decorations.js';
import { createPdf, streamPages, type OutlineEntry, type RenderOptions } from './document.js';
import { A4_PORTRAIT, Flow } from './layout.js';
import type { Span, TextStyle } from './text.js';

export interface MinutesView {
  lang: 'ru' | 'en';
  /** «Протокол заседания ТК» and the like: the file's title. */
  heading: string;
  title: string;
  /** «02.12.2026 14:00 (UTC+3)», and the place or link. */
  when: string;
  where?: string;
  labels: { participants: string; guests: string; agenda: string; decision: string; noDecision: string; page: (n: number, m: number) => string };
  participants: { group: string; names: string[] }[];
  guests: string[];
  items: { title: string; details?: string; decision?: string }[];
  /** Fixed file dates: the same minutes give the same bytes. */
  createdAt: Date;
}

const BODY: TextStyle = { face: 'serif', size: 11 };
const SMALL: TextStyle = { face: 'serif', size: 10 };
const H2: TextStyle = { face: 'sansBold', size: 12 };

const paragraphs = (text: string | undefined): string[] => (text ?? '').split(/\r?\n\s*\n?/).filter((p) => p.trim());

export function renderMinutesPdf(view: MinutesView, assets: PdfAssets, options: RenderOptions = {}): Readable {
  const pdf = createPdf({ title: `${view.heading}. ${view.title}`, subject: view.title, keywords: view.heading, lang: view.lang, createdAt: view.createdAt }, assets.fonts, options);
  const f = new Flow(pdf.faces, A4_PORTRAIT);
  const outline: OutlineEntry[] = [];
  const p = (spans: Span[], leading = 15, spaceAfter = 3) => f.paragraph(spans, { leading, align: 'left', spaceAfter });
  const heading = (text: string) => {
    outline.push({ title: text, page: f.pages.length - 1, y: f.y, depth: 0 });
    f.paragraph([{ text, style: H2 }], { leading: 16, align: 'left', spaceBefore: 10, spaceAfter: 4, keepWithNext: 30, tag: 'H2' });
  };
  f.newPage();
  f.paragraph([{ text: view.heading, style: { face: 'sansBold', size: 15 } }], { leading: 20, align: 'left', together: true, tag: 'H1' });
  p([{ text: view.title, style: { face: 'serifBold', size: 12 } }], 16);
  p([{ text: view.when, style: BODY }]);
  if (view.where) p([{ text: view.where, style: BODY }]);

  heading(view.labels.participants);
  for (const g of view.participants) {
    if (!g.names.length) continue;
    p([{ text: `${g.group}: `, style: { face: 'serifBold', size: 11 } }, { text: g.names.join(', '), style: BODY }]);
  }
  if (view.guests.length) p([{ text: `${view.labels.guests}: `, style: { face: 'serifBold', size: 11 } }, { text: view.guests.join(', '), style: BODY }]);

  heading(view.labels.agenda);
  view.items.forEach((item, n) => {
    f.paragraph([{ text: `${n + 1}. ${item.title}`, style: { face: 'sansBold', size: 11 } }], { leading: 15, align: 'left', spaceBefore: 6, spaceAfter: 2, keepWithNext: 15 });
    for (const d of paragraphs(item.details)) p([{ text: d, style: SMALL }], 13, 2);
    p([{ text: `${view.labels.decision}: `, style: { face: 'serifBold', size: 11 } }, { text: item.decision ?? view.labels.noDecision, style: item.decision ? BODY : { face: 'serifItalic', size: 11 } }]);
  });

  const decorate = pageDecorations(pdf.faces, { running: view.heading, footer: view.labels.page });
  return streamPages(pdf, f.pages, decorate, outline);
}
