// The Word styles of Accord's documents (docs/word.md): PT Serif for text and PT Sans for headings, as in
// the PDF, sizes of GOST 1.5, and a font table that names the font Word and LibreOffice use instead
// when PT Serif or PT Sans is not installed.
import type { IStylesOptions } from 'docx';

export const SERIF = 'PT Serif';
export const SANS = 'PT Sans';
/** The fonts that stand in for the PT families on a machine that lacks them. */
export const FALLBACK = { [SERIF]: 'Times New Roman', [SANS]: 'Arial' } as const;

/** Half-points: docx measures type in half-points. */
export const pt = (n: number) => n * 2;
/** Twentieths of a point (twips), from millimetres. */
export const mm = (n: number) => Math.round((n / 25.4) * 1440);

export const INDENT = mm(10);
export const DRAFT_RED = 'B00020';

const heading = (id: string, name: string, size: number, outline: number, before: number) => ({
  id,
  name,
  basedOn: 'Normal',
  next: 'Normal',
  quickFormat: true,
  run: { font: SANS, bold: true, size: pt(size) },
  paragraph: { spacing: { before: pt(before) * 10, after: 120 }, indent: { firstLine: INDENT }, keepNext: true, keepLines: true, outlineLevel: outline },
});

export function documentStyles(): IStylesOptions {
  return {
    default: {
      document: { run: { font: SERIF, size: pt(11) }, paragraph: { spacing: { line: 276, after: 80 } } },
    },
    paragraphStyles: [
      heading('Heading1', 'Heading 1', 12, 0, 14),
      heading('Heading2', 'Heading 2', 11, 1, 8),
      heading('Heading3', 'Heading 3', 11, 2, 6),
      { id: 'Title', name: 'Title', basedOn: 'Normal', next: 'Normal', run: { font: SANS, bold: true, size: pt(13) }, paragraph: { alignment: 'center', spacing: { after: 200 }, keepNext: true } },
      { id: 'AccordBody', name: 'Body Text', basedOn: 'Normal', quickFormat: true, paragraph: { alignment: 'both', indent: { firstLine: INDENT } } },
      { id: 'AccordNote', name: 'Note', basedOn: 'Normal', quickFormat: true, run: { size: pt(10) }, paragraph: { alignment: 'both', indent: { firstLine: INDENT } } },
      { id: 'AccordTableText', name: 'Table Text', basedOn: 'Normal', run: { size: pt(10) }, paragraph: { spacing: { after: 0, line: 240 } } },
      { id: 'Caption', name: 'caption', basedOn: 'Normal', next: 'Normal', run: { size: pt(11) }, paragraph: { keepNext: true, spacing: { before: 120, after: 60 } } },
    ],
  };
}

/**
 * word/fontTable.xml with each PT family's fallback (w:altName) and its kind (w:family: roman, swiss),
 * which is how a Word file names the font to use when its own is missing.
 */
export function fontTableXml(): string {
  const font = (name: string, alt: string, family: string) =>
    `<w:font w:name="${name}"><w:altName w:val="${alt}"/><w:charset w:val="CC"/><w:family w:val="${family}"/><w:pitch w:val="variable"/></w:font>`;
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
    font(SERIF, FALLBACK[SERIF], 'roman') +
    font(SANS, FALLBACK[SANS], 'swiss') +
    font(FALLBACK[SERIF], FALLBACK[SERIF], 'roman') +
    font(FALLBACK[SANS], FALLBACK[SANS], 'swiss') +
    '</w:fonts>'
  );
}
