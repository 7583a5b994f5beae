// Which table of a file holds the comments, and which column is which: the header row is found by its
// words (English or Russian), so the ISO/IEC/CEN template 2012-03, Accord's own summary (with or without
// its comment-number column) and ISO OSD's export are all read the same way (docs/comment-import.md).
import type { SourceTable } from './docx-tables.js';

export type Field = 'line' | 'number' | 'mb' | 'type' | 'observations' | 'proposed' | 'paragraph' | 'clause' | 'comment';
export type LayoutName = 'iso' | 'accord' | 'osd';

/** A column heading's words, in the order they are tried: the first field whose words a heading has wins. */
const HEADINGS: [Field, RegExp][] = [
  ['line', /\bline\b|номер строки|№ строки/],
  ['number', /comment id|^(no|nr|n°|№|#|№ п\/п|id)$|comment number|номер замечания|^№ замечания$/],
  ['mb', /\bmb\b|mb\/nc|member body|\bnsb\b|country|delegation|делегац|страна|^nc$/],
  // \b knows no Cyrillic letters: Russian words are bounded by spaces or the ends.
  ['type', /type|\bkind\b|(^|[\s(/])(вид|тип)($|[\s)/])/],
  ['observations', /observation|secretariat|секретариат|заключени|resolution|решение/],
  ['proposed', /proposed|предлага/],
  ['paragraph', /paragraph|figure|table|абзац|параграф|рисун|таблиц/],
  ['clause', /clause|section|раздел|пункт/],
  ['comment', /comment|замечани|комментари/],
];

/** A heading as compared: lower case, one space for any run of white space, footnote digits («MB/NC1») dropped. */
function normalHeading(cell: string): string {
  return cell.toLowerCase().replace(/\s+/g, ' ').replace(/(?<=[a-zа-я)])\d+$/u, '').replace(/[.:]+$/, '').trim();
}

export function fieldOf(cell: string): Field | undefined {
  const h = normalHeading(cell);
  if (!h) return undefined;
  return HEADINGS.find(([, words]) => words.test(h))?.[0];
}

/** The columns of a header row, each field at its first column; undefined when the row is no header of comments. */
export function headerColumns(cells: string[]): Map<Field, number> | undefined {
  const columns = new Map<Field, number>();
  cells.forEach((cell, i) => {
    const f = fieldOf(cell);
    if (f && !columns.has(f)) columns.set(f, i);
  });
  const describing = (['clause', 'type', 'mb', 'proposed'] as const).filter((f) => columns.has(f)).length;
  return columns.has('comment') && describing >= 2 ? columns : undefined;
}

function layoutOf(header: string[], columns: Map<Field, number>): LayoutName {
  const words = header.join(' ').toLowerCase();
  if (/comment id|clause nb/.test(words)) return 'osd';
  if (columns.has('number') || /делегация \(mb\/nc\)/.test(words)) return 'accord';
  return 'iso';
}

export interface CommentTable {
  layout: LayoutName;
  table: string;
  columns: Map<Field, number>;
  rows: SourceTable['rows'];
}

/** How far down a table its header may be (a title, a date, a document number above it). */
const HEADER_SEARCH_ROWS = 15;

/** A row that only numbers the columns («1 | 2 | 3 …» or «(1) | (2) …») under a header. */
const numbersColumns = (cells: string[]) => cells.filter(Boolean).length >= 3 && cells.filter(Boolean).every((c) => /^\(?\d{1,2}\)?$/.test(c.trim()));

/** Every table with a header of comments, with the rows under it (header repeats and column numbers left out). */
export function commentTables(tables: SourceTable[]): CommentTable[] {
  const found: CommentTable[] = [];
  for (const t of tables) {
    const at = t.rows.slice(0, HEADER_SEARCH_ROWS).findIndex((r) => headerColumns(r.cells));
    if (at < 0) continue;
    const header = t.rows[at]!.cells;
    const columns = headerColumns(header)!;
    const rows = t.rows.slice(at + 1).filter((r) => !headerColumns(r.cells) && !numbersColumns(r.cells));
    found.push({ layout: layoutOf(header, columns), table: t.name, columns, rows });
  }
  return found;
}
