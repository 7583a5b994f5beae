// A file of comments read into rows: opened safely (package.ts), its tables taken (Word's or the
// workbook's), the table of comments found by its header (layout.ts), and each row judged (rows.ts).
import { InvalidInput, PayloadTooLarge } from '../../errors.js';
import type { ClauseIndex } from './clause-match.js';
import { docxTables } from './docx-tables.js';
import { commentTables, type LayoutName } from './layout.js';
import { IMPORT_LIMITS, openOfficePackage, type ImportLimits, type OfficeKind } from '../../common/office/package.js';
import { importRows, type ImportRow, type RowContext } from './rows.js';
import { xlsxTables } from './xlsx-tables.js';

export interface ReadFile {
  kind: OfficeKind;
  layout: LayoutName;
  macros: boolean;
  rows: ImportRow[];
}

/** Reads the rows of comments from an uploaded DOCX or XLSX; refuses a file that has none, or too many. */
export async function readCommentFile(bytes: Buffer, ctx: RowContext & { clauses: ClauseIndex }, limits: ImportLimits = IMPORT_LIMITS): Promise<ReadFile> {
  const pkg = await openOfficePackage(bytes, limits);
  // A few rows more than the limit are read (headers, blank lines), so that "too many" is told, not guessed.
  const tables = pkg.kind === 'docx' ? docxTables(pkg.main!.toString('utf8')) : await xlsxTables(bytes, limits.rows + 100);
  const found = commentTables(tables);
  if (found.length === 0) throw new InvalidInput('commentImport.noTable', {}, { file: 'commentImport.noTable' });
  const rows = found.flatMap((t) => importRows(t, ctx));
  if (rows.length > limits.rows) throw new PayloadTooLarge('commentImport.tooManyRows', { limit: limits.rows, count: rows.length });
  if (rows.length === 0) throw new InvalidInput('commentImport.noRows', {}, { file: 'commentImport.noRows' });
  return { kind: pkg.kind, layout: found[0]!.layout, macros: pkg.macros, rows };
}
