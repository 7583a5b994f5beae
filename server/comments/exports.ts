import type { Writable } from 'node:stream';
import type { CommentRecord } from './model.js';
import { CSV_BOM, csvRow } from '../common/spreadsheet.js';
import { writeXlsx, type XlsxRow } from '../common/office/xlsx-writer.js';
import { drained } from '../common/drained.js';

/**
 * The columns of the ISO/IEC comment template (2012-03), in its order and with its headings, then Accord's
 * own number of the comment (docs/word.md). The line number is the one the author gave (typed in the form or read
 * from an imported template); empty when none was given.
 */
export const isoColumns = [
  { key: 'mb', ru: 'Делегация (MB/NC)', en: 'MB/NC', width: 8 },
  { key: 'line', ru: 'Номер строки', en: 'Line number', width: 12 },
  { key: 'clause', ru: 'Раздел, пункт', en: 'Clause/Subclause', width: 17 },
  { key: 'paragraph', ru: 'Абзац, рисунок, таблица, примечание', en: 'Paragraph/Figure/Table/Note', width: 28 },
  { key: 'type', ru: 'Вид замечания', en: 'Type of comment', width: 16 },
  { key: 'comment', ru: 'Замечание', en: 'Comments', width: 50 },
  { key: 'proposed', ru: 'Предлагаемое изменение', en: 'Proposed change', width: 45 },
  { key: 'observations', ru: 'Заключение секретариата', en: 'Observations of the secretariat', width: 50 },
  { key: 'number', ru: '№ замечания в Accord', en: 'Accord comment number', width: 23 },
] as const;

export type ExportRow = Record<(typeof isoColumns)[number]['key'], string>;

const decisionWords: Record<string, string> = {
  accepted: 'Принято (accepted)',
  partially: 'Принято частично (partially accepted)',
  rejected: 'Отклонено (rejected)',
  noted: 'Принято к сведению (noted)',
  referred: 'Вынесено на обсуждение (referred to a meeting)',
};

const anchorWords = { paragraph: 'абзац', table: 'таблица', figure: 'рисунок' } as const;

/** «таблица 2», or the reference alone when it already names its kind («Таблица 2», not «таблица Таблица 2»). */
export function anchorText(word: string, ref: string): string {
  return ref.trim().toLowerCase().startsWith(word.toLowerCase()) ? ref.trim() : `${word} ${ref.trim()}`;
}

/** Sentences joined by «. », none doubled: «Учтено.» and «Редакция 2» give «Учтено. Редакция 2». */
export function sentences(parts: readonly (string | null | undefined)[]): string {
  return parts
    .map((p) => p?.trim())
    .filter((p): p is string => !!p)
    .map((p, i, all) => (i < all.length - 1 && !/[.!?…]$/.test(p) ? `${p}.` : p))
    .join(' ');
}

/** The delegation's answer to the disposition, after the secretariat's observations (answers.ts). */
export function answerWords(a: CommentRecord['answer']): string | undefined {
  if (!a) return undefined;
  return a.agreed ? 'Ответ делегации: согласна (agreed)' : sentences(['Ответ делегации: не согласна (not agreed)', a.reason]);
}

export function exportRows(rows: (CommentRecord & { clauseLabel: string })[]): ExportRow[] {
  return rows.map((c) => {
    const d = c.disposition;
    const observations = d ? sentences([decisionWords[d.decision], d.reason, d.observation, d.appliedInRevision ? `Редакция ${d.appliedInRevision}` : undefined, answerWords(c.answer)]) : '';
    return {
      mb: c.delegation,
      line: c.line ?? '',
      clause: c.clauseLabel,
      paragraph: c.anchor ? anchorText(anchorWords[c.anchor.kind], c.anchor.ref) : '',
      type: c.type,
      comment: c.text,
      proposed: c.proposedChange ?? '',
      observations,
      number: c.number ?? '',
    };
  });
}

/** Writes to the response, waiting while its buffer is full: memory stays flat however many rows there are. */
async function write(out: Writable, chunk: string | Buffer): Promise<void> {
  if (!out.write(chunk)) await drained(out);
}

/**
 * The comments as CSV, written batch by batch as they are read, in the form a Russian-locale spreadsheet
 * opens as columns (csvRow in server/common/spreadsheet.ts; the apostrophe guard against formulas is CSV's).
 */
export async function writeCommentsCsv(out: Writable, batches: AsyncIterable<ExportRow[]>): Promise<void> {
  await write(out, CSV_BOM);
  await write(out, csvRow(isoColumns.map((c) => `${c.ru} / ${c.en}`)));
  for await (const rows of batches) {
    if (out.destroyed) return;
    await write(out, rows.map((r) => csvRow(isoColumns.map((c) => r[c.key]))).join(''));
  }
  out.end();
}

/**
 * A row's height fitted to its wrapped text: the most lines any cell takes at its column's width (about a
 * character per unit of width), at 15 points a line. LibreOffice does not refit rows when it opens a file,
 * so a row left at the default height would cut its text off or draw it over the next row.
 */
export function rowHeight(r: ExportRow): number {
  let lines = 1;
  for (const c of isoColumns) {
    const text = r[c.key];
    const perLine = c.width - 1;
    let n = 0;
    // Line by line without splitting the text: the length of each line between line breaks.
    for (let from = 0; ; ) {
      const to = text.indexOf('\n', from);
      const length = (to < 0 ? text.length : to) - from;
      n += Math.max(1, Math.ceil(length / perLine));
      if (to < 0) break;
      from = to + 1;
    }
    if (n > lines) lines = n;
  }
  return Math.min(409, lines * 15 + 3);
}

/**
 * The comments as an XLSX workbook in the layout of the ISO template, written batch by batch as they are
 * read (server/common/office/xlsx-writer.ts), so that a round of any size takes the same memory. Row 1 is
 * the header, so that a program reads the table without options; the title is in the page header and on the
 * second sheet, with what each column holds in Russian. Every cell is text as typed (never a formula).
 */
export async function writeCommentsXlsx(out: Writable, batches: AsyncIterable<ExportRow[]>, title: string): Promise<void> {
  await writeXlsx(out, {
    title,
    creator: 'Accord',
    sheets: [
      {
        name: 'Comments',
        widths: isoColumns.map((c) => c.width),
        // Each heading fits its column on one line (the widths above): an application that does not refit the
        // header row's height on opening (LibreOffice) would otherwise draw its second line over the first comment.
        header: isoColumns.map((c) => c.en),
        rows: rowsOf(batches),
        wrap: true,
        print: { landscape: true, header: title },
      },
      { name: 'About', widths: [32, 60], rows: [[{ cells: [title] }, ...isoColumns.map((c) => ({ cells: [c.en, c.ru] }))]] },
    ],
  });
}

async function* rowsOf(batches: AsyncIterable<ExportRow[]>): AsyncGenerator<XlsxRow[]> {
  for await (const rows of batches) yield rows.map((r) => ({ cells: isoColumns.map((c) => r[c.key]), height: rowHeight(r) }));
}
