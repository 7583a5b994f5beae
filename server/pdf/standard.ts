// The standard as GOST 1.5 sets it: cover, foreword, contents, the clauses with their derived numbers,
// tables that run over pages, notes, terms, references, annexes and bibliography; running header,
// «Страница N из M», bookmarks, metadata, and the draft mark on every page of an unpublished text.
// The parts are laid out by standard-front.ts, standard-body.ts and standard-contents.ts; this file
// puts them together and writes the PDF, tagged (PDF/A-2a and PDF/UA-1, docs/pdf.md).
import type { Readable } from 'node:stream';
import { fill, type Boilerplate, type PdfAssets } from './assets.js';
import { pageDecorations } from './decorations.js';
import { createPdf, streamPages, type OutlineEntry, type RenderOptions } from './document.js';
import { A4_PORTRAIT, Flow, type LaidPage } from './layout.js';
import { drawClause, drawClosing, drawTitleBlock } from './standard-body.js';
import { layoutContents } from './standard-contents.js';
import { drawCover, drawForeword } from './standard-front.js';
import { revisionName, StandardLayout, type Faces } from './standard-layout.js';
import type { StandardPdfView } from './standard-view.js';
import { Tagger } from './tagging.js';

export { revisionName };

/** «СТ СГ 12—2027» once designated; «Проект, первая редакция» until then. */
export function runningHead(view: StandardPdfView, text: Boilerplate): string {
  if (view.published && view.designation) return view.designation;
  const draft = `${text.draft}, ${revisionName(text, view.revision)}`;
  return view.designation ? `${view.designation} (${draft.toLowerCase()})` : draft;
}

export interface LaidOutStandard { pages: LaidPage[]; outline: OutlineEntry[]; contentsPage: number; bodyStart: number }

/** Lays out every page of the standard (pure: no PDF is written yet). */
export function layoutStandard(view: StandardPdfView, text: Boilerplate, faces: Faces, tags: Tagger = Tagger.off()): LaidOutStandard {
  const s = new StandardLayout(view, text, faces, tags);
  drawCover(s);
  s.front.tag('Sect', () => drawForeword(s));
  s.toc = tags.add('Sect');
  drawTitleBlock(s);
  for (const c of view.clauses) drawClause(s, c);
  s.closeSections();
  drawClosing(s);

  // The contents' length does not depend on its page numbers (they sit in a column of their own), so a
  // first layout with any numbers tells how many pages it takes.
  const frontPages = s.front.pages.length;
  const trial = new Flow(faces, A4_PORTRAIT);
  const saved = s.outline.length;
  layoutContents(s, trial, () => 0);
  s.outline.length = saved;
  const contentsPages = trial.pages.length;
  const bodyStart = frontPages + contentsPages;
  const contents = new Flow(faces, A4_PORTRAIT, tags);
  layoutContents(s, contents, (e) => bodyStart + e.page + 1);

  const offset = { front: 0, contents: frontPages, body: bodyStart };
  const order = { front: 0, contents: 1, body: 2 };
  const outline = s.outline
    .map((e, i) => ({ e, i }))
    .sort((a, b) => order[a.e.part] - order[b.e.part] || a.i - b.i)
    .map(({ e }) => ({ title: e.title, page: e.page + offset[e.part], y: e.y, depth: e.depth }));
  return { pages: [...s.front.pages, ...contents.pages, ...s.body.pages], outline, contentsPage: frontPages, bodyStart };
}

export function standardMetadata(view: StandardPdfView, text: Boilerplate) {
  const head = runningHead(view, text);
  return {
    title: `${head}. ${view.titles.ru}`,
    subject: `${text.standardKind}. ${view.titles.en}`,
    keywords: [view.designation, view.ics && `${text.ics} ${view.ics}`, ...(view.keywords ?? []), view.published ? undefined : text.draftMark].filter(Boolean).join('; '),
    author: view.developer,
    lang: 'ru' as const,
    createdAt: view.createdAt,
    modifiedAt: view.modifiedAt,
  };
}

/** The standard as a PDF stream; layout happens now, the bytes as the reader takes them. */
export function renderStandardPdf(view: StandardPdfView, assets: PdfAssets, options: RenderOptions = {}): Readable {
  const text = assets.text;
  const pdf = createPdf(standardMetadata(view, text), assets.fonts, { ...options, tagged: options.tagged ?? true });
  const laid = layoutStandard(view, text, pdf.faces, pdf.tags);
  const decorate = pageDecorations(pdf.faces, {
    running: runningHead(view, text),
    mark: view.published ? undefined : text.draftMark,
    footer: (n, m) => fill(text.pageOf, { n, m }),
  }, pdf.tags);
  return streamPages(pdf, laid.pages, decorate, laid.outline);
}
