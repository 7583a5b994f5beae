// Cell safety for every CSV and XLSX the server writes (comments tables, requirement lists).

/**
 * Spreadsheet programs run a cell that starts with = + - @ (or a tab or carriage return) as a formula;
 * such a cell gets a leading apostrophe, so what a person typed stays text.
 */
export function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * One line of the CSV files Accord writes, made for a spreadsheet program in a Russian locale (which is
 * how the committee opens them): fields separated by «;», numbers with a decimal comma («0,005»), text
 * made formula-safe and quoted when it holds «"», «;» or a line break. The file starts with a byte-order
 * mark (CSV_BOM) so that Cyrillic reads right, and lines end with CRLF.
 */
export function csvRow(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(';')}\r\n`;
}

export const CSV_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value).replace('.', ',');
  const v = safeCell(value);
  return /[";\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
