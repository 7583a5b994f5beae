// fontkit (PDFKit's own font reader, a direct dependency so that glyph coverage can be asked without a
// PDF) ships no typings; this is the part Accord uses.
declare module 'fontkit' {
  export interface Glyph { id: number; advanceWidth: number }
  export interface Font {
    postscriptName: string;
    unitsPerEm: number;
    ascent: number;
    descent: number;
    glyphForCodePoint(cp: number): Glyph;
    hasGlyphForCodePoint(cp: number): boolean;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
