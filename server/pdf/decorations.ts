// What every page of a document carries once the page count is known: the running header (the
// designation at the outer corner), «Страница N из M», and on drafts the «ПРОЕКТ / DRAFT» mark; in a
// tagged document, all of them pagination artifacts (tagging.ts).
import type { PageDecoration } from './document.js';
import type { Faces, PdfFont } from './fonts.js';
import { MM } from './layout.js';
import { Tagger } from './tagging.js';
import { breakLines, lineOps, Measurer, type Rgb, type TextStyle } from './text.js';

export const DRAFT_RED: Rgb = [0.72, 0.07, 0.07];

export interface DecorationText {
  /** Printed at the outer top corner (odd pages right, even pages left). */
  running?: string;
  /** Printed at the top centre of every page (the draft mark). */
  mark?: string;
  /** «Страница {n} из {m}», already localised; undefined: no footer. */
  footer?: (n: number, m: number) => string;
}

function oneLine(faces: Faces, m: Measurer, text: string, style: TextStyle, x: number, baseline: number, width: number, align: 'left' | 'center' | 'right', used: Set<PdfFont>): string {
  // A running header is one line: a very long one is cut by the line breaker and only its first line kept.
  const [line] = breakLines([{ text, style }], { width }, m);
  return line ? lineOps({ ...line, last: true }, x, baseline, align, faces, used) : '';
}

export function pageDecorations(faces: Faces, text: DecorationText, tags: Tagger = Tagger.off()): PageDecoration {
  const m = new Measurer(faces);
  return (index, count, page) => {
    const g = page.geometry;
    const used = new Set<PdfFont>();
    const ops: string[] = [];
    const x = g.left;
    const width = g.width - g.left - g.right;
    const headerBaseline = 12 * MM;
    const small: TextStyle = { face: 'sans', size: 9 };
    if (text.mark) {
      ops.push(tags.artifact(oneLine(faces, m, text.mark, { face: 'sansBold', size: 10, color: DRAFT_RED, tracking: 0.6 }, x, headerBaseline, width, 'center', used), 'Watermark'));
    }
    if (!page.bare) {
      if (text.running) {
        // Leave the middle of the header to the draft mark.
        const side = text.mark ? width * 0.36 : width;
        const odd = (index + 1) % 2 === 1;
        ops.push(tags.artifact(oneLine(faces, m, text.running, small, odd ? x + width - side : x, headerBaseline, side, odd ? 'right' : 'left', used), 'Header'));
      }
      if (text.footer) {
        ops.push(tags.artifact(oneLine(faces, m, text.footer(index + 1, count), small, x, g.height - 10 * MM, width, 'center', used), 'Footer'));
      }
    }
    return { ops, fonts: used };
  };
}
