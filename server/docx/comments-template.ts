// The summary of comments as the ISO/IEC commenting template (2012-03) in Word (docs/word.md): the date,
// document and project above, then one table whose header row carries the template's column headings
// exactly (repeated on every page), a row per comment, and the key to the MB/NC and type codes under it.
// A delegation fills it in offline and uploads it back; the headings are what the upload recognises.
import { AlignmentType, Document, Footer, Packer, PageNumber, PageOrientation, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { textRuns } from './runs.js';
import { SANS, documentStyles, fontTableXml, mm, pt } from './styles.js';

/** A column: its heading and its width in millimetres (the widths share the page's text width). */
export interface TemplateColumn { en: string; width: number }

export interface CommentTemplateView {
  /** «Микросхемы интегральные. Общие технические требования». */
  document: string;
  /** «Проект, редакция 2, стадия 30.20»: what was circulated. */
  project: string;
  /** yyyy-mm-dd. */
  date: string;
  columns: readonly TemplateColumn[];
  /** Each row's cells in the columns' order. */
  rows: readonly (readonly string[])[];
  /** The key under the table: MB/NC codes, comment types. */
  notes: readonly string[];
}

const small = { size: pt(9) };
/** The text width of a landscape A4 page with 15 mm margins. */
const TEXT_WIDTH = mm(297 - 30);

/** Date, document and project, as the template's top lines. */
function heading(view: CommentTemplateView): Table {
  const shares = [6, 10, 9, 45, 7, 23];
  const widths = shares.map((p) => Math.floor((p / 100) * TEXT_WIDTH));
  const texts: [string, boolean][] = [['Date:', true], [view.date, false], ['Document:', true], [view.document, false], ['Project:', true], [view.project, false]];
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    rows: [new TableRow({ children: texts.map(([t, bold], i) => new TableCell({ width: { size: widths[i]!, type: WidthType.DXA }, children: [new Paragraph({ style: 'AccordTableText', children: textRuns(t, { ...small, bold }) })] })) })],
  });
}

/** The comment table, its columns as wide as the export's (in proportion) across the text width. */
function commentTable(view: CommentTemplateView): Table {
  const total = view.columns.reduce((n, c) => n + c.width, 0);
  const twips = view.columns.map((c) => Math.floor((c.width / total) * TEXT_WIDTH));
  const at = (width: number) => (text: string, bold = false) =>
    new TableCell({ width: { size: width, type: WidthType.DXA }, children: [new Paragraph({ style: 'AccordTableText', children: textRuns(text, bold ? { size: pt(8), bold } : small) })] });
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: twips,
    rows: [
      new TableRow({ tableHeader: true, children: view.columns.map((c, i) => at(twips[i]!)(c.en, true)) }),
      ...view.rows.map((r) => new TableRow({ children: view.columns.map((_, i) => at(twips[i]!)(r[i] ?? '')) })),
    ],
  });
}

export function commentTemplateDocument(view: CommentTemplateView): Document {
  const footer = new Footer({
    children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT, ' / ', PageNumber.TOTAL_PAGES], font: SANS, size: pt(8) })] })],
  });
  return new Document({
    title: `Comments: ${view.document}`,
    creator: 'Accord',
    styles: documentStyles(),
    sections: [{
      properties: { page: { size: { width: mm(210), height: mm(297), orientation: PageOrientation.LANDSCAPE }, margin: { top: mm(15), bottom: mm(15), left: mm(15), right: mm(15) } } },
      footers: { default: footer },
      children: [
        heading(view),
        new Paragraph({ children: [] }),
        commentTable(view),
        ...view.notes.map((n) => new Paragraph({ spacing: { before: 80, after: 0 }, children: [new TextRun({ text: n, size: pt(8) })] })),
      ],
    }],
  });
}

export function renderCommentTemplateDocx(view: CommentTemplateView): Promise<Buffer> {
  return Packer.toBuffer(commentTemplateDocument(view), false, [{ path: 'word/fontTable.xml', data: fontTableXml() }]);
}
