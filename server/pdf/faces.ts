// The faces of the PDFs and the chain of font files behind each (templates/pdf/fonts/README.md). Plain
// data, read by assets.ts (which files to load), fonts.ts (registering them) and glyphs.ts (coverage).

export const FACE_NAMES = ['serif', 'serifBold', 'serifItalic', 'serifBoldItalic', 'sans', 'sansBold'] as const;
export type FaceName = (typeof FACE_NAMES)[number];

export const FONT_NAMES = [
  ...FACE_NAMES,
  'notoSerif', 'notoSerifBold', 'notoSerifItalic', 'notoSerifBoldItalic', 'notoSans', 'notoSansBold',
  'math',
] as const;
export type FontName = (typeof FONT_NAMES)[number];

/** The font files, read once at start (assets.ts) and handed to every render. */
export type FontFiles = Record<FontName, Buffer>;

/** The fonts of each face, in the order a character looks for its glyph. */
export const FACE_FONTS: Record<FaceName, readonly FontName[]> = {
  serif: ['serif', 'notoSerif', 'math'],
  serifBold: ['serifBold', 'notoSerifBold', 'math'],
  serifItalic: ['serifItalic', 'notoSerifItalic', 'math'],
  serifBoldItalic: ['serifBoldItalic', 'notoSerifBoldItalic', 'math'],
  sans: ['sans', 'notoSans', 'math'],
  sansBold: ['sansBold', 'notoSansBold', 'math'],
};
