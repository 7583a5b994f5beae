// The sheets of a workbook as rows of cell texts, read with exceljs. A formula is never evaluated: its
// cached value is taken (what the application showed when it saved), or the formula's own text when the
// file has none. Rich text is flattened to its characters, a hyperlink to its text, a date to YYYY-MM-DD,
// an error to its code. A merged cell's text stands in every cell of the merge, as exceljs reads it.
import ExcelJS from 'exceljs';
import { UnsupportedMediaType } from '../../errors.js';
import type { SourceTable } from './docx-tables.js';

/** Columns past this are not read: no comment template is wider. */
const MAX_COLUMNS = 64;

type Value = ExcelJS.CellValue;

function dateText(d: Date): string {
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10);
}

/** One cell's value as text. */
export function cellText(value: Value): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return dateText(value);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: Value }).result;
    if (result !== undefined && result !== null && result !== '') return cellText(result);
    return `=${'formula' in value ? value.formula : value.sharedFormula}`;
  }
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : cellText(value.text as Value);
  if ('error' in value) return String(value.error);
  return '';
}

/** Every worksheet, in order, each as its rows with values (numbered as in the sheet); `maxRows` bounds the reading. */
export async function xlsxTables(bytes: Buffer, maxRows: number): Promise<SourceTable[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new UnsupportedMediaType('commentImport.unreadable');
  }
  return wb.worksheets.map((ws) => {
    const rows: SourceTable['rows'] = [];
    const width = Math.min(ws.columnCount, MAX_COLUMNS);
    ws.eachRow({ includeEmpty: false }, (row, n) => {
      if (rows.length > maxRows) return;
      const cells: string[] = [];
      for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c).value));
      rows.push({ n, cells });
    });
    return { name: ws.name, rows };
  });
}
