// Text measuring and glyph encoding on top of PDFKit's embedded fonts. PDFKit shapes every string with
// fontkit, which is right for complex scripts and far too slow for a 100-page standard in Cyrillic and
// Latin; here a glyph is looked up once per code point and a word's width once per document. Kerning and
// ligatures are not applied, so what is measured is exactly what is drawn (and copies out letter by letter).
import type PDFDocument from 'pdfkit';

export const FACE_NAMES = ['serif', 'serifBold', 'serifItalic', 'serifBoldItalic', 'sans', 'sansBold'] as const;
export type FaceName = (typeof FACE_NAMES)[number];

/** The font files, read once at start (assets.ts) and handed to every render. */
export type FontFiles = Record<FaceName, Buffer>;

// The parts of PDFKit's EmbeddedFont and fontkit's Font used here; PDFKit does not type them (pinned minor version).
interface FontkitGlyph { id: number; advanceWidth: number }
interface FontkitFont {
  unitsPerEm: number;
  ascent: number;
  descent: number;
  glyphForCodePoint(cp: number): FontkitGlyph;
  hasGlyphForCodePoint(cp: number): boolean;
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

interface GlyphInfo { hex: string; width: number }

/** One face of one document: widths in thousandths of the em, glyphs registered in the document's subset. */
export class Face {
  readonly id: string;
  /** Ascender and descender in thousandths of the em (descender negative). */
  readonly ascender: number;
  readonly descender: number;
  private readonly scale: number;
  private readonly glyphs = new Map<number, GlyphInfo>();
  private readonly words = new Map<string, number>();

  constructor(private readonly doc: PDFKit.PDFDocument, private readonly embedded: EmbeddedFont) {
    this.id = embedded.id;
    this.scale = 1000 / embedded.font.unitsPerEm;
    this.ascender = embedded.font.ascent * this.scale;
    this.descender = embedded.font.descent * this.scale;
  }

  private glyph(cp: number): GlyphInfo {
    let g = this.glyphs.get(cp);
    if (g) return g;
    const font = this.embedded.font;
    // A character the font lacks prints as the font's empty box (glyph 0) and still copies out as itself.
    const glyph = font.hasGlyphForCodePoint(cp) ? font.glyphForCodePoint(cp) : { id: 0, advanceWidth: font.unitsPerEm / 2 };
    const gid = this.embedded.subset.includeGlyph(glyph.id);
    const width = glyph.advanceWidth * this.scale;
    this.embedded.widths[gid] ??= width;
    if (gid !== 0) this.embedded.unicode[gid] ??= [cp];
    g = { hex: gid.toString(16).padStart(4, '0'), width };
    this.glyphs.set(cp, g);
    return g;
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

  /** Hex glyph codes of the text for a TJ array; the face becomes a resource of the current page. */
  encode(text: string): string {
    let hex = '';
    for (const ch of text) hex += this.glyph(ch.codePointAt(0)!).hex;
    return hex;
  }

  /** Makes the face a resource of the page being written. */
  useOnPage(): void {
    const internals = this.doc as unknown as PdfKitInternals;
    internals.page.fonts[this.id] ??= this.embedded.ref();
  }
}

export type Faces = Record<FaceName, Face>;

/** Registers the six faces with a document and wraps them. */
export function registerFaces(doc: PDFKit.PDFDocument, files: FontFiles): Faces {
  const faces = {} as Faces;
  for (const name of FACE_NAMES) {
    doc.registerFont(name, files[name]);
    doc.font(name);
    faces[name] = new Face(doc, (doc as unknown as PdfKitInternals)._font);
  }
  return faces;
}

export type { PDFDocument };
