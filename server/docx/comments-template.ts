// The summary of comments as the ISO/IEC commenting template (2012-03) in Word (docs/word.md): the date,
// document and project above, then one table whose header row carries the template's column headings
// exactly (repeated on every page), a row per comment, and the key to the MB/NC and type codes under it.
// A delegation fills it in offline and uploads it back; the headings are what the upload recognises.
import { AlignmentType, Document, Footer, Packer, PageNumber, PageOrientation, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import JSZip from 'jszip';
import { textRuns } from './runs.js';
import { tableRowsXml } from './table-rows.js';
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

/** Each column's width in twips: the columns' millimetres in proportion across the text width. */
const columnTwips = (columns: readonly TemplateColumn[]) => {
  const total = columns.reduce((n, c) => n + c.width, 0);
  return columns.map((c) => Math.floor((c.width / total) * TEXT_WIDTH));
};

/** Stands in the table for the comment rows until they are written in (renderCommentTemplateDocx). */
const ROWS_HERE = 'accord-comment-rows-go-here';

/** The comment table: the header row (repeated on every page), then the place of the rows. */
function commentTable(view: CommentTemplateView): Table {
  const twips = columnTwips(view.columns);
  const cell = (width: number, text: string) =>
    new TableCell({ width: { size: width, type: WidthType.DXA }, children: [new Paragraph({ style: 'AccordTableText', children: textRuns(text, { size: pt(8), bold: true }) })] });
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: twips,
    rows: [
      new TableRow({ tableHeader: true, children: view.columns.map((c, i) => cell(twips[i]!, c.en)) }),
      new TableRow({ children: [cell(TEXT_WIDTH, ROWS_HERE)] }),
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

/**
 * The template as DOCX bytes. The docx package writes the page, the heading and the header row; the comment
 * rows, which may be thousands, are written as XML text in place of the placeholder row (table-rows.ts).
 */
export async function renderCommentTemplateDocx(view: CommentTemplateView): Promise<Buffer> {
  const shell = await Packer.toBuffer(commentTemplateDocument(view), false, [{ path: 'word/fontTable.xml', data: fontTableXml() }]);
  const zip = await JSZip.loadAsync(shell);
  const xml = await zip.file('word/document.xml')!.async('string');
  const at = xml.indexOf(ROWS_HERE);
  const start = xml.lastIndexOf('<w:tr>', at);
  const end = xml.indexOf('</w:tr>', at) + '</w:tr>'.length;
  if (at < 0 || start < 0) throw new Error('the comment template lost the place of its rows');
  const rows = tableRowsXml(view.rows, columnTwips(view.columns), small.size);
  zip.file('word/document.xml', xml.slice(0, start) + rows + xml.slice(end));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
}
