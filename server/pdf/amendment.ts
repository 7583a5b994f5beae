// An amendment to a published standard in the GOST 1.5 form of an amendment (docs/amendments.md): the
// committee, «Изменение № N к СТ СГ 5-2026», the standard's titles, who adopted it and the dates of entry
// into force, then each change as an instruction («Пункт 4.1 изложить в новой редакции:») with the new
// text quoted. Its view model is defined here and filled by the publishing feature, words included; the
// file is PDF/A like the standard's (document.ts), with the project's fonts.
import type { Readable } from 'node:stream';
import type { PdfAssets } from './assets.js';
import { pageDecorations } from './decorations.js';
import { createPdf, streamPages, type OutlineEntry, type RenderOptions } from './document.js';
import { A4_PORTRAIT, Flow } from './layout.js';
import { gostDate } from './standard-layout.js';
import type { TextStyle } from './text.js';

export interface AmendmentPdfView {
  /** «Изменение № 1 к СТ СГ 5-2026». */
  designation: string;
  standard: { designation: string; titles: { ru: string; en: string } };
  committee: string;
  /** «Принято Комитетом … » */
  adopted: string;
  /** Per country: «Республика Беларусь», ISO day. */
  entryIntoForce: { country: string; date: string }[];
  labels: { entryIntoForce: string; page: (n: number, m: number) => string; signedBy?: string; verify?: string };
  changes: { instruction: string; lines: string[] }[];
  /** A draft's mark at the top of every page (an amendment's draft revision, not yet published). */
  draftMark?: string;
  /** Fixed file dates: the same amendment gives the same bytes. */
  createdAt: Date;
}

const BODY: TextStyle = { face: 'serif', size: 12 };
const BOLD: TextStyle = { face: 'serifBold', size: 12 };

export function renderAmendmentPdf(view: AmendmentPdfView, assets: PdfAssets, options: RenderOptions = {}): Readable {
  const title = `${view.designation}. ${view.standard.titles.ru}`;
  const pdf = createPdf({ title, subject: view.standard.titles.ru, keywords: view.standard.designation, lang: 'ru', createdAt: view.createdAt }, assets.fonts, options);
  const f = new Flow(pdf.faces, A4_PORTRAIT);
  const outline: OutlineEntry[] = [];
  f.newPage();
  f.paragraph([{ text: view.committee.toUpperCase(), style: { face: 'sansBold', size: 10 } }], { leading: 13, align: 'center', spaceAfter: 10, together: true });
  outline.push({ title: view.designation, page: 0, y: f.y, depth: 0 });
  f.paragraph([{ text: view.designation, style: { face: 'sansBold', size: 15 } }], { leading: 20, align: 'center', spaceAfter: 6, together: true, tag: 'H1' });
  f.paragraph([{ text: view.standard.titles.ru, style: { face: 'sansBold', size: 12 } }], { leading: 16, align: 'center', spaceAfter: 2, together: true });
  f.paragraph([{ text: view.standard.titles.en, style: { face: 'serifItalic', size: 11 } }], { leading: 14, align: 'center', spaceAfter: 12, together: true, tag: f.tags.add('P', { lang: 'en' }) });
  f.paragraph([{ text: view.adopted, style: BODY }], { leading: 16, align: 'left', spaceAfter: 6 });
  if (view.entryIntoForce.length) f.paragraph([{ text: view.labels.entryIntoForce, style: BOLD }], { leading: 16, align: 'left', spaceAfter: 2, keepWithNext: 16 });
  for (const e of view.entryIntoForce) f.paragraph([{ text: `${e.country} — ${gostDate(e.date)}`, style: BODY }], { leading: 16, align: 'left', spaceAfter: 2 });
  if (view.labels.signedBy) f.paragraph([{ text: view.labels.signedBy, style: { face: 'sans', size: 9 } }], { leading: 12, align: 'left', spaceBefore: 4 });
  if (view.labels.verify) f.paragraph([{ text: view.labels.verify, style: { face: 'sans', size: 9 } }], { leading: 12, align: 'left', spaceAfter: 4 });
  f.rule(f.left, f.left + f.width, f.y + 4, 0.5);
  f.space(14);
  for (const change of view.changes) {
    f.paragraph([{ text: change.instruction, style: BOLD }], { leading: 16, align: 'left', spaceBefore: 8, spaceAfter: 3, keepWithNext: 32 });
    const last = change.lines.length - 1;
    change.lines.forEach((line, i) => {
      const quoted = `${i === 0 ? '«' : ''}${line}${i === last ? '»' : ''}`;
      f.paragraph([{ text: quoted, style: BODY }], { leading: 16, align: 'justify', firstIndent: 12 * 2.835, spaceAfter: 2 });
    });
  }
  const decorate = pageDecorations(pdf.faces, { running: view.designation, footer: view.labels.page, mark: view.draftMark });
  return streamPages(pdf, f.pages, decorate, outline);
}
