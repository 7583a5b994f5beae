// Text measuring and glyph encoding on top of PDFKit's embedded fonts. PDFKit shapes every string with
// fontkit, which is right for complex scripts and far too slow for a 100-page standard in Cyrillic and
// Latin; here a glyph is looked up once per code point and a word's width once per document. Kerning and
// ligatures are not applied, so what is measured is exactly what is drawn (and copies out letter by letter).
// A face is a chain of fonts (glyphs.ts): each character is drawn with the first font of the chain that
// has it, and a fallback font joins the document only when a character needs it.
import type PDFDocument from 'pdfkit';
import { FACE_FONTS, FACE_NAMES, type FaceName, type FontFiles, type FontName } from './faces.js';
import { glyphCoverage, type GlyphCoverage } from './glyphs.js';

export { FACE_NAMES, type FaceName, type FontFiles };

// The parts of PDFKit's EmbeddedFont and fontkit's Font used here; PDFKit does not type them (pinned minor version).
interface FontkitGlyph { id: number; advanceWidth: number }
interface FontkitFont {
  unitsPerEm: number;
  ascent: number;
  descent: number;
  glyphForCodePoint(cp: number): FontkitGlyph;
}
interface EmbeddedFont {
  id: string;
  font: FontkitFont;
  subset: { includeGlyph(id: number): number };
  widths: number[];
  unicode: number[][];
  ref(): unknown;
}
interface PdfKitInternals {
  _font: EmbeddedFont;
  page: { fonts: Record<string, unknown> };
}

/** One font file in one document, registered with PDFKit the first time a glyph of it is wanted. */
export class PdfFont {
  private embedded?: EmbeddedFont;

  constructor(private readonly doc: PDFKit.PDFDocument, private readonly name: FontName, private readonly file: Buffer) {}

  get font(): EmbeddedFont {
    if (!this.embedded) {
      this.doc.registerFont(this.name, this.file);
      this.doc.font(this.name);
      this.embedded = (this.doc as unknown as PdfKitInternals)._font;
    }
    return this.embedded;
  }

  /** The resource name of the font in the page's content (/F3). */
  get id(): string {
    return this.font.id;
  }

  /** Makes the font a resource of the page being written. */
  useOnPage(): void {
    const internals = this.doc as unknown as PdfKitInternals;
    internals.page.fonts[this.id] ??= this.font.ref();
  }
}

interface GlyphInfo { font: PdfFont; hex: string; width: number }

/** U+FFFD, what a character no font has prints as. */
const REPLACEMENT = 0xfffd;

/** A stretch of text drawn with one font: its glyph codes for a TJ array. */
export interface Segment { font: PdfFont; hex: string }

/** One face of one document: widths in thousandths of the em, glyphs registered in the document's subsets. */
export class Face {
  /** Ascender and descender in thousandths of the em (descender negative), of the face's first font. */
  readonly ascender: number;
  readonly descender: number;
  private readonly glyphs = new Map<number, GlyphInfo>();
  private readonly words = new Map<string, number>();

  constructor(readonly name: FaceName, private readonly chain: readonly PdfFont[], private readonly coverage: GlyphCoverage) {
    const first = chain[0]!.font.font;
    const scale = 1000 / first.unitsPerEm;
    this.ascender = first.ascent * scale;
    this.descender = first.descent * scale;
  }

  /** The first font of the chain: the one a line's size and baseline are set with. */
  get primary(): PdfFont {
    return this.chain[0]!;
  }

  private glyph(cp: number): GlyphInfo {
    let g = this.glyphs.get(cp);
    if (g) return g;
    const at = this.coverage.fontIndex(this.name, cp);
    // A character no font has prints as the replacement character � (or «?»), never as the empty box
    // of glyph 0, which PDF/A forbids (docs/pdf.md). Texts with one are not circulated or published
    // (glyphs.ts); comments and redlines of older texts still print.
    g = at >= 0 ? this.glyphOf(cp, at) : this.glyph(this.coverage.fontIndex(this.name, REPLACEMENT) >= 0 ? REPLACEMENT : 0x3f);
    this.glyphs.set(cp, g);
    return g;
  }

  /** The glyph of the code point in the chain's font at `at`, registered in the font's subset. */
  private glyphOf(cp: number, at: number): GlyphInfo {
    const pdfFont = this.chain[at]!;
    const embedded = pdfFont.font;
    const font = embedded.font;
    const glyph = font.glyphForCodePoint(cp);
    const gid = embedded.subset.includeGlyph(glyph.id);
    const width = (glyph.advanceWidth * 1000) / font.unitsPerEm;
    embedded.widths[gid] ??= width;
    embedded.unicode[gid] ??= [cp];
    return { font: pdfFont, hex: gid.toString(16).padStart(4, '0'), width };
  }

  /** Width of the text in thousandths of the em. */
  width(text: string): number {
    let w = this.words.get(text);
    if (w !== undefined) return w;
    w = 0;
    for (const ch of text) w += this.glyph(ch.codePointAt(0)!).width;
    if (this.words.size < 50_000) this.words.set(text, w);
    return w;
  }

  /** The text's glyph codes, one segment per stretch drawn with the same font of the chain. */
  encode(text: string): Segment[] {
    const out: Segment[] = [];
    let current: Segment | undefined;
    for (const ch of text) {
      const g = this.glyph(ch.codePointAt(0)!);
      if (current && current.font === g.font) current.hex += g.hex;
      else {
        current = { font: g.font, hex: g.hex };
        out.push(current);
      }
    }
    return out;
  }
}

export type Faces = Record<FaceName, Face>;

/** The six faces of a document, over one PdfFont per font file (a fallback shared by faces is embedded once). */
export function registerFaces(doc: PDFKit.PDFDocument, files: FontFiles): Faces {
  const coverage = glyphCoverage(files);
  const fonts = new Map<FontName, PdfFont>();
  const fontOf = (name: FontName) => {
    let f = fonts.get(name);
    if (!f) fonts.set(name, (f = new PdfFont(doc, name, files[name])));
    return f;
  };
  const faces = {} as Faces;
  for (const name of FACE_NAMES) faces[name] = new Face(name, FACE_FONTS[name].map(fontOf), coverage);
  return faces;
}

export type { PDFDocument };
