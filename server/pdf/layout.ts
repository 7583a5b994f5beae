// Pages as data: a flow fills pages top to bottom with operator strings, breaking where the next thing does
// not fit. Nothing is written to PDFKit until every page is laid out, so the total page count is known
// before the first page goes out and the PDF can be streamed page by page (document.ts). What a flow
// draws goes through its tagger (tagging.ts): text as content of the element being laid out, rules as
// artifacts.
import type { FaceName, Faces, PdfFont } from './fonts.js';
import { Tagger, type ArtifactKind, type StructAttrs, type StructNode, type StructType, type TaggedPage } from './tagging.js';
import { breakLines, lineOps, Measurer, num, type Align, type Line, type Rgb, type Span } from './text.js';

export const MM = 72 / 25.4;

export interface PageGeometry {
  width: number;
  height: number;
  top: number;
  bottom: number;
  left: number;
  right: number;
}

export const A4_PORTRAIT: PageGeometry = { width: 595.28, height: 841.89, top: 22 * MM, bottom: 20 * MM, left: 25 * MM, right: 15 * MM };
export const A4_LANDSCAPE: PageGeometry = { width: 841.89, height: 595.28, top: 22 * MM, bottom: 18 * MM, left: 15 * MM, right: 15 * MM };

export interface LaidPage extends TaggedPage {
  ops: string[];
  /** The fonts the page draws with (its font resources). */
  fonts: Set<PdfFont>;
  geometry: PageGeometry;
  /** The cover: no running header, no footer. */
  bare: boolean;
}

export interface Anchor { page: number; y: number }

export interface ParagraphOptions {
  /** Offset of the paragraph's left edge from the left margin. */
  x?: number;
  width?: number;
  firstIndent?: number;
  indent?: number;
  align?: Align;
  /** Line height in points. */
  leading: number;
  spaceBefore?: number;
  spaceAfter?: number;
  /** Do not split the paragraph across pages (headings). */
  together?: boolean;
  /** Keep the paragraph on the page with this much of what follows (headings: two lines of text). */
  keepWithNext?: number;
  /** Its structure element: P unless said (a heading's H1…), null for none of its own. */
  tag?: StructType | StructNode | null;
}

export class Flow {
  readonly pages: LaidPage[] = [];
  y = 0;
  readonly m: Measurer;

  constructor(readonly faces: Faces, public geometry: PageGeometry, readonly tags: Tagger = Tagger.off()) {
    this.m = new Measurer(faces);
  }

  get page(): LaidPage {
    const p = this.pages[this.pages.length - 1];
    if (!p) throw new Error('the flow has no page yet');
    return p;
  }
  get left(): number { return this.geometry.left; }
  get width(): number { return this.geometry.width - this.geometry.left - this.geometry.right; }
  get top(): number { return this.geometry.top; }
  get bottom(): number { return this.geometry.height - this.geometry.bottom; }
  /** Height available between the top and bottom margins of a fresh page. */
  get capacity(): number { return this.bottom - this.top; }
  get atTop(): boolean { return this.y <= this.top + 0.01; }
  get pageIndex(): number { return this.pages.length - 1; }

  newPage(opts: { geometry?: PageGeometry; bare?: boolean } = {}): void {
    if (opts.geometry) this.geometry = opts.geometry;
    this.pages.push({ ops: [], fonts: new Set(), geometry: this.geometry, bare: !!opts.bare, marks: [], links: [], dests: [] });
    this.y = this.top;
  }

  room(): number {
    return this.bottom - this.y;
  }

  /** Starts a new page unless `height` fits below the cursor (or the page is still empty). */
  ensure(height: number): boolean {
    if (height <= this.room() + 0.01 || this.atTop) return false;
    this.newPage();
    return true;
  }

  anchor(): Anchor {
    return { page: this.pageIndex, y: this.y };
  }

  /** Operators that draw content of the structure element being laid out. */
  op(s: string): void {
    this.page.ops.push(this.tags.content(this.page, s));
  }

  /** Operators that draw no content: rules, grids, repeated headers. */
  artifact(s: string, kind?: ArtifactKind): void {
    this.page.ops.push(this.tags.artifact(s, kind));
  }

  /** Lays out `fn` as the content of a structure element (tagging.ts). */
  tag<T>(element: StructType | StructNode, fn: () => T, attrs?: StructAttrs): T {
    return this.tags.within(element, fn, attrs);
  }

  space(h: number): void {
    if (!this.atTop) this.y = Math.min(this.y + h, this.bottom);
  }

  lines(spans: readonly Span[], width: number, firstIndent = 0, indent = 0): Line[] {
    return breakLines(spans, { width, firstIndent, indent }, this.m);
  }

  /** Baseline of a line whose box starts at top, for text of the given size. */
  baseline(top: number, leading: number, size: number, face: FaceName = 'serif'): number {
    const f = this.faces[face];
    const asc = (f.ascender * size) / 1000;
    const desc = (-f.descender * size) / 1000;
    return top + (leading - (asc + desc)) / 2 + asc;
  }

  /** The operators of a line whose box starts at top. */
  lineOps(line: Line, x: number, top: number, leading: number, align: Align): string {
    const size = line.runs[0]?.style.size ?? leading / 1.25;
    const face = line.runs[0]?.style.face ?? 'serif';
    return lineOps(line, x, this.baseline(top, leading, size, face), align, this.faces, this.page.fonts);
  }

  drawLine(line: Line, x: number, top: number, leading: number, align: Align): void {
    this.op(this.lineOps(line, x, top, leading, align));
  }

  /** Lays out a paragraph at the cursor, breaking pages between its lines (never leaving one line alone). */
  paragraph(spans: readonly Span[], o: ParagraphOptions): Line[] {
    const width = o.width ?? this.width - (o.x ?? 0);
    const lines = this.lines(spans, width, o.firstIndent ?? 0, o.indent ?? 0);
    if (o.tag === null) this.placeLines(lines, o);
    else this.tag(o.tag ?? 'P', () => this.placeLines(lines, o));
    return lines;
  }

  placeLines(lines: Line[], o: ParagraphOptions): void {
    const x = this.left + (o.x ?? 0);
    const align = o.align ?? 'justify';
    if (o.spaceBefore) this.space(o.spaceBefore);
    const whole = lines.length * o.leading;
    if (o.together || o.keepWithNext) this.ensure(Math.min(whole + (o.keepWithNext ?? 0), this.capacity));
    else this.ensure(Math.min(lines.length, 2) * o.leading);
    for (const [i, line] of lines.entries()) {
      // Orphans and widows: no single line of a longer paragraph alone at the foot of a page.
      const left = lines.length - i;
      if (i > 0 && left === 2 && this.room() < 2 * o.leading && this.room() >= o.leading && lines.length > 3) this.newPage();
      else this.ensure(o.leading);
      this.drawLine(line, x, this.y, o.leading, align);
      this.y += o.leading;
    }
    if (o.spaceAfter) this.space(o.spaceAfter);
  }

  rule(x1: number, x2: number, y: number, width = 0.5, color?: Rgb): void {
    const c = color ? `${num(color[0])} ${num(color[1])} ${num(color[2])} RG ` : '0 0 0 RG ';
    this.artifact(`q ${c}${num(width)} w ${num(x1)} ${num(y)} m ${num(x2)} ${num(y)} l S Q`);
  }
}

/** The same measure and break as a Flow, for laying out things drawn later (headers, footers, contents). */
export function measureHeight(flow: Flow, spans: readonly Span[], width: number, leading: number, firstIndent = 0, indent = 0): number {
  return flow.lines(spans, width, firstIndent, indent).length * leading;
}
