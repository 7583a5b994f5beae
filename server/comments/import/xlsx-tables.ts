// The sheets of a workbook as rows of cell texts, read with exceljs. A formula is never evaluated: its
// cached value is taken (what the application showed when it saved), or the formula's own text when the
// file has none. Rich text is flattened to its characters, a hyperlink to its text, a date to YYYY-MM-DD,
// an error to its code. A merged cell's text stands in every cell of the merge, as exceljs reads it.
// A number is written as its cell's format shows it where the format fixes the decimals («0.00»: 4.10);
// a number with decimals in any other format (General), and a date, is marked as perhaps not what was
// typed, for the preview to say so (docs/comment-import.md).
import ExcelJS from 'exceljs';
import { UnsupportedMediaType } from '../../errors.js';
import type { SourceTable } from './docx-tables.js';

/** Columns past this are not read: no comment template is wider. */
const MAX_COLUMNS = 64;

type Value = ExcelJS.CellValue;

function dateText(d: Date): string {
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10);
}

/**
 * The decimals a number format always shows: «0.00» and «#,##0.00» → 2, «0» → 0; undefined for General,
 * optional digits («0.##»), and formats of dates, times, percentages, fractions, exponents or text.
 */
export function fixedDecimals(numFmt: string | undefined): number | undefined {
  if (!numFmt) return undefined;
  // The format of positive numbers, without its colour, condition, quoted and escaped literals.
  const positive = numFmt.split(';')[0]!.replace(/\[[^\]]*\]|"[^"]*"|\\./g, '').trim();
  const m = /^[#,]*0[0,]*(?:\.(0+))?$/.exec(positive);
  return m ? (m[1]?.length ?? 0) : undefined;
}

/** One cell's value as text; a number as `numFmt` shows it where that fixes its decimals. */
export function cellText(value: Value, numFmt?: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    const decimals = fixedDecimals(numFmt);
    return decimals === undefined || !Number.isFinite(value) ? String(value) : value.toFixed(Math.min(decimals, 20));
  }
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return dateText(value);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: Value }).result;
    if (result !== undefined && result !== null && result !== '') return cellText(result, numFmt);
    return `=${'formula' in value ? value.formula : value.sharedFormula}`;
  }
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : cellText(value.text as Value);
  if ('error' in value) return String(value.error);
  return '';
}

/**
 * Whether a cell's text may not be what was typed: a date (a clause «4.5» typed into Russian Excel is the
 * 4th of May), or a number with decimals whose format does not fix them (4.10 is kept as 4.1).
 */
function storedAs(value: Value, numFmt: string | undefined): 'number' | 'date' | undefined {
  const v = value !== null && typeof value === 'object' && ('formula' in value || 'sharedFormula' in value) ? (value as { result?: Value }).result : value;
  if (v instanceof Date) return 'date';
  if (typeof v === 'number' && !Number.isInteger(v) && fixedDecimals(numFmt) === undefined) return 'number';
  return undefined;
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
      const notAsTyped: Record<number, 'number' | 'date'> = {};
      for (let c = 1; c <= width; c++) {
        const cell = row.getCell(c);
        const stored = storedAs(cell.value, cell.numFmt);
        if (stored) notAsTyped[c - 1] = stored;
        cells.push(cellText(cell.value, cell.numFmt));
      }
      rows.push(Object.keys(notAsTyped).length ? { n, cells, notAsTyped } : { n, cells });
    });
    return { name: ws.name, rows };
  });
}
