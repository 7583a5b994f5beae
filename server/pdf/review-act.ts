// GOST 1.2's «акт проверки» of a systematic review (docs/review.md): the standard, the review period, each
// delegation's answer and reason, the outcome, the date and the follow-up. Its view model is defined here and
// filled by the review feature, words included; PDF/A with the project's fonts, like the minutes (minutes.ts).
import type { Readable } from 'node:stream';
import type { PdfAssets } from './assets.js';
import { pageDecorations } from './decorations.js';
import { createPdf, streamPages, type OutlineEntry, type RenderOptions } from './document.js';
import { A4_PORTRAIT, Flow } from './layout.js';
import type { Span, TextStyle } from './text.js';

export interface ReviewActView {
  lang: 'ru' | 'en';
  /** «Акт проверки стандарта»: the file's title. */
  heading: string;
  designation: string;
  title: string;
  /** Label–value lines under the title: review period, date of the act, rule. */
  facts: { label: string; value: string }[];
  labels: { answers: string; outcome: string; followUp: string; reason: string; noAnswer: string; page: (n: number, m: number) => string };
  answers: { delegation: string; answer?: string; reason?: string; byName?: string }[];
  outcome: string;
  /** The secretariat's reason when it decided a disagreement. */
  decisionReason?: string;
  followUp: string;
  /** Fixed file dates: the same act gives the same bytes. */
  createdAt: Date;
}

const BODY: TextStyle = { face: 'serif', size: 11 };
const BOLD: TextStyle = { face: 'serifBold', size: 11 };
const H2: TextStyle = { face: 'sansBold', size: 12 };

export function renderReviewActPdf(view: ReviewActView, assets: PdfAssets, options: RenderOptions = {}): Readable {
  const pdf = createPdf({ title: `${view.heading}. ${view.designation}`, subject: view.title, keywords: view.heading, lang: view.lang, createdAt: view.createdAt }, assets.fonts, options);
  const f = new Flow(pdf.faces, A4_PORTRAIT);
  const outline: OutlineEntry[] = [];
  const p = (spans: Span[], leading = 15, spaceAfter = 3) => f.paragraph(spans, { leading, align: 'left', spaceAfter });
  const heading = (text: string) => {
    outline.push({ title: text, page: f.pages.length - 1, y: f.y, depth: 0 });
    f.paragraph([{ text, style: H2 }], { leading: 16, align: 'left', spaceBefore: 10, spaceAfter: 4, keepWithNext: 30, tag: 'H2' });
  };
  f.newPage();
  f.paragraph([{ text: view.heading, style: { face: 'sansBold', size: 15 } }], { leading: 20, align: 'left', together: true, tag: 'H1' });
  p([{ text: `${view.designation} «${view.title}»`, style: { face: 'serifBold', size: 12 } }], 16);
  for (const fact of view.facts) p([{ text: `${fact.label}: `, style: BOLD }, { text: fact.value, style: BODY }]);

  heading(view.labels.answers);
  for (const a of view.answers) {
    p([{ text: `${a.delegation}: `, style: BOLD }, { text: a.answer ?? view.labels.noAnswer, style: a.answer ? BODY : { face: 'serifItalic', size: 11 } }, ...(a.byName ? [{ text: ` (${a.byName})`, style: BODY }] : [])]);
    if (a.reason) p([{ text: `${view.labels.reason}: `, style: BOLD }, { text: a.reason, style: BODY }], 14, 6);
  }

  heading(view.labels.outcome);
  p([{ text: view.outcome, style: BODY }]);
  if (view.decisionReason) p([{ text: `${view.labels.reason}: `, style: BOLD }, { text: view.decisionReason, style: BODY }]);

  heading(view.labels.followUp);
  p([{ text: view.followUp, style: BODY }]);

  const decorate = pageDecorations(pdf.faces, { running: view.heading, footer: view.labels.page });
  return streamPages(pdf, f.pages, decorate, outline);
}
