import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { CommentRecord } from './model.js';
import { CSV_BOM, csvRow, safeCell } from '../common/spreadsheet.js';

/** The columns of the ISO comment template, in its order, with Russian and English headings. */
export const isoColumns = [
  { key: 'mb', ru: 'Делегация (MB/NC)', en: 'MB/NC', width: 10 },
  { key: 'line', ru: '№ замечания', en: 'Line number', width: 12 },
  { key: 'clause', ru: 'Раздел, пункт', en: 'Clause/ Subclause', width: 12 },
  { key: 'paragraph', ru: 'Абзац, рисунок, таблица', en: 'Paragraph/ Figure/ Table/', width: 16 },
  { key: 'type', ru: 'Вид замечания', en: 'Type of comment', width: 9 },
  { key: 'comment', ru: 'Замечание', en: 'Comments', width: 50 },
  { key: 'proposed', ru: 'Предлагаемое изменение', en: 'Proposed change', width: 45 },
  { key: 'observations', ru: 'Заключение секретариата', en: 'Observations of the secretariat', width: 50 },
] as const;

type ExportRow = Record<(typeof isoColumns)[number]['key'], string>;

const decisionWords: Record<string, string> = {
  accepted: 'Принято (accepted)',
  partially: 'Принято частично (partially accepted)',
  rejected: 'Отклонено (rejected)',
  noted: 'Принято к сведению (noted)',
  referred: 'Вынесено на обсуждение (referred to a meeting)',
};

export function exportRows(rows: (CommentRecord & { clauseLabel: string })[]): ExportRow[] {
  return rows.map((c) => {
    const d = c.disposition;
    const observations = d
      ? [decisionWords[d.decision], d.reason, d.observation, d.appliedInRevision ? `Редакция ${d.appliedInRevision}` : undefined].filter(Boolean).join('. ')
      : '';
    return {
      mb: c.delegation,
      line: c.number ?? '',
      clause: c.clauseLabel,
      paragraph: c.anchor ? `${c.anchor.kind === 'paragraph' ? 'абзац' : c.anchor.kind === 'table' ? 'таблица' : 'рисунок'} ${c.anchor.ref}` : '',
      type: c.type,
      comment: c.text,
      proposed: c.proposedChange ?? '',
      observations,
    };
  });
}


/** Writes to the response, waiting while its buffer is full: memory stays flat however many rows there are. */
async function write(out: Writable, chunk: string | Buffer): Promise<void> {
  if (!out.write(chunk)) await Promise.race([once(out, 'drain'), once(out, 'close')]);
}

/**
 * The comments as CSV, written batch by batch as they are read, in the form a Russian-locale spreadsheet
 * opens as columns (csvRow in server/common/spreadsheet.ts).
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
 * The comments as an XLSX workbook in the layout of the ISO template, written row by row with exceljs's
 * streaming writer (each row is committed and forgotten), so that a round of any size takes the same memory.
 */
export async function writeCommentsXlsx(out: Writable, batches: AsyncIterable<ExportRow[]>, title: string): Promise<void> {
  // Fixed dates: the same comments give the same file.
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'Accord';
  wb.created = new Date(0);
  wb.modified = new Date(0);
  const ws = wb.addWorksheet('Comments', { views: [{ state: 'frozen', ySplit: 2 }], pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  ws.columns = isoColumns.map((c) => ({ key: c.key, width: c.width }));
  ws.mergeCells(1, 1, 1, isoColumns.length);
  const titleRow = ws.getRow(1);
  titleRow.getCell(1).value = title;
  titleRow.getCell(1).font = { bold: true, size: 12 };
  titleRow.commit();
  const header = ws.getRow(2);
  isoColumns.forEach((c, i) => (header.getCell(i + 1).value = `${c.en}\n${c.ru}`));
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'top' };
  header.commit();
  for await (const rows of batches) {
    if (out.destroyed) return;
    if (out.writableNeedDrain) await Promise.race([once(out, 'drain'), once(out, 'close')]);
    for (const r of rows) {
      const row = ws.addRow(Object.fromEntries(isoColumns.map((c) => [c.key, safeCell(r[c.key])])));
      row.alignment = { wrapText: true, vertical: 'top' };
      row.commit();
    }
  }
  ws.commit();
  await wb.commit();
}
