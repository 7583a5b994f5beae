// Writing laid-out pages into a PDFKit document: fixed metadata and file id (same input, same bytes),
// running header and footer drawn once the page count is known, bookmarks, and a stream that produces
// the file page by page as the reader (an HTTP response) takes it. Every file is PDF/A-2; a tagged one
// (a standard) also carries its structure tree and is PDF/A-2a and PDF/UA-1 (conformance.ts, docs/pdf.md).
import type { Readable } from 'node:stream';
import PDFDocument from 'pdfkit';
import { conformanceOptions, useAccordXmp } from './conformance.js';
import { registerFaces, type Faces, type FontFiles, type PdfFont } from './fonts.js';
import type { LaidPage } from './layout.js';
import { StructureWriter } from './structure.js';
import { Tagger } from './tagging.js';

export interface PdfMetadata {
  title: string;
  subject?: string;
  keywords?: string;
  author?: string;
  lang: 'ru' | 'en';
  createdAt: Date;
  modifiedAt?: Date;
}

/**
 * How the file is written: uncompressed content lets tests read the drawing operators; `tagged: false`
 * leaves a standard untagged (PDF/A-2b only), for the benchmark to measure what tagging costs.
 */
export interface RenderOptions { compress?: boolean; tagged?: boolean }

export interface OutlineEntry { title: string; page: number; y: number; depth: number }

/** The document being written, its faces, and the tagger its layout draws through. */
export interface PdfDocument { doc: PDFKit.PDFDocument; faces: Faces; tags: Tagger }

/** Tagged: the layout records the structure (tagging.ts) and the file declares PDF/UA-1. */
export function createPdf(meta: PdfMetadata, fonts: FontFiles, options: RenderOptions = {}): PdfDocument {
  const tagged = !!options.tagged;
  const info: PDFKit.DocumentInfo & Record<string, unknown> = {
    Title: meta.title,
    Author: meta.author,
    Subject: meta.subject,
    Keywords: meta.keywords,
    Creator: 'Accord',
    Producer: 'Accord (PDFKit)',
    CreationDate: meta.createdAt,
    ModDate: meta.modifiedAt ?? meta.createdAt,
  };
  for (const k of Object.keys(info)) if (info[k] === undefined) delete info[k];
  const doc = new PDFDocument({
    autoFirstPage: false,
    compress: options.compress ?? true,
    bufferPages: false,
    ...conformanceOptions(tagged),
    lang: meta.lang,
    displayTitle: true,
    info,
    // PDFKit derives the file /ID from the info dictionary, so it is fixed by the dates above.
  } as PDFKit.PDFDocumentOptions);
  useAccordXmp(doc, tagged);
  return { doc, faces: registerFaces(doc, fonts), tags: new Tagger(tagged) };
}

/** Operators drawn on a page once the page count is known (running header, footer, draft mark). */
export type PageDecoration = (pageIndex: number, pageCount: number, page: LaidPage) => { ops: string[]; fonts: Iterable<PdfFont> };

interface Streamable { _read: (size: number) => void }

/**
 * Adds the pages one by one, waiting whenever the reader has not taken what was already produced, then
 * the outline, and ends the document. Returns the document's stream at once; errors destroy it.
 */
export function streamPages(pdf: PdfDocument, pages: readonly LaidPage[], decorate: PageDecoration, outline: readonly OutlineEntry[]): Readable {
  const { doc } = pdf;
  const structure = pdf.tags.enabled ? new StructureWriter(doc, pdf.tags.root) : undefined;
  const stream = doc as unknown as Readable;
  let wake: (() => void) | undefined;
  (doc as unknown as Streamable)._read = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const highWater = stream.readableHighWaterMark;
  const run = async () => {
    for (const [i, page] of pages.entries()) {
      const g = page.geometry;
      doc.addPage({ size: [g.width, g.height], margin: 0 });
      structure?.pageAdded(page);
      const extra = decorate(i, pages.length, page);
      for (const f of new Set([...page.fonts, ...extra.fonts])) f.useOnPage();
      doc.addContent([...page.ops, ...extra.ops].join('\n'));
      if (stream.readableLength > highWater) await new Promise<void>((resolve) => (wake = resolve));
      if (stream.destroyed) return;
    }
    addOutline(doc, pages, outline);
    structure?.end();
    doc.end();
  };
  // Starts on the next tick so that the caller can attach its pipe and error handlers first.
  setImmediate(() => run().catch((err: unknown) => stream.destroy(err as Error)));
  return stream;
}

function addOutline(doc: PDFKit.PDFDocument, pages: readonly LaidPage[], entries: readonly OutlineEntry[]): void {
  interface Item { addItem(title: string, options?: object): Item }
  const stack: { depth: number; item: Item }[] = [{ depth: -1, item: doc.outline as unknown as Item }];
  for (const e of entries) {
    while (stack.length > 1 && stack[stack.length - 1]!.depth >= e.depth) stack.pop();
    const g = pages[e.page]!.geometry;
    // PDFKit's XYZ destination takes the distance from the top, and "left" as a distance from the right edge.
    const item = stack[stack.length - 1]!.item.addItem(e.title, { pageNumber: e.page, top: Math.max(0, e.y - 6), left: g.width });
    stack.push({ depth: e.depth, item });
  }
}

/** The whole file in memory: for tests, the benchmark and storing a published PDF. */
export async function pdfBuffer(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
