// Cell safety for every CSV and XLSX the server writes (comments tables, requirement lists).

/**
 * Spreadsheet programs run a cell that starts with = + - @ (or a tab or carriage return) as a formula;
 * such a cell gets a leading apostrophe, so what a person typed stays text.
 */
export function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
