// The tables of a Word document (word/document.xml) as rows of cell texts, read as Word shows them with
// tracked changes accepted: deleted and moved-away text is left out, inserted text kept. Paragraphs and
// line breaks inside a cell become line feeds, tabs stay tabs; a cell spanning columns is followed by
// empty cells so that columns stay aligned; a vertically merged cell repeats the text above it (an MB/NC
// code merged over several rows belongs to each). Characters inserted from the Symbol font are turned
// into their Unicode letters. A table inside a cell becomes lines of that cell.
import { readXml } from '../../common/office/xml.js';

type Table = string[][];

/** A table as read from a file: its name (a sheet's, or «table 2»), and its rows numbered as the file counts them. */
export interface SourceTable {
  name: string;
  rows: {
    n: number;
    cells: string[];
    /**
     * Cells a spreadsheet keeps as a number or a date rather than as the text typed, by column, where what
     * was typed may be lost (4.10 kept as 4.1, «4.5» taken for the 4th of May).
     */
    notAsTyped?: Record<number, 'number' | 'date'>;
  }[];
}

/** Symbol-font code points (Word's «Insert symbol») that comment texts use, as Unicode. */
const SYMBOL_FONT: Record<number, string> = {
  0xb1: '±', 0xb0: '°', 0x6d: 'µ', 0xb4: '×', 0xb8: '÷', 0xa3: '≤', 0xb3: '≥', 0xb9: '≠', 0xbb: '≈',
  0x44: 'Δ', 0x57: 'Ω', 0x61: 'α', 0x62: 'β', 0x67: 'γ', 0x64: 'δ', 0x6c: 'λ', 0x70: 'π', 0x73: 'σ', 0xd6: '√', 0xa5: '∞',
};

interface Cell { paragraphs: string[]; span: number; merge: 'restart' | 'continue' | null }
interface OpenTable { rows: Table; row: { cells: string[]; merged: boolean[] } | null; cell: Cell | null }

function symbolText(attributes: Record<string, string>): string {
  const code = parseInt(attributes.char ?? '', 16);
  if (!Number.isFinite(code)) return '';
  const low = code >= 0xf000 ? code - 0xf000 : code;
  if (/symbol/i.test(attributes.font ?? '')) return SYMBOL_FONT[low] ?? '';
  return code >= 0xf000 ? '' : String.fromCodePoint(code);
}

/** Ends a row: cells marked as merged with the one above take its text. */
function closeRow(t: OpenTable): void {
  if (!t.row) return;
  const above = t.rows.at(-1);
  t.rows.push(t.row.cells.map((text, i) => (t.row!.merged[i] && above ? (above[i] ?? '') : text)));
  t.row = null;
}

function closeCell(t: OpenTable): void {
  const cell = t.cell;
  if (!cell || !t.row) return;
  t.row.cells.push(cell.paragraphs.join('\n').replace(/\n+$/, ''));
  t.row.merged.push(cell.merge === 'continue');
  for (let i = 1; i < cell.span; i++) {
    t.row.cells.push('');
    t.row.merged.push(cell.merge === 'continue');
  }
  t.cell = null;
}

/** Every top-level table of the document, in order. */
export function docxTables(xml: string): SourceTable[] {
  const tables: Table[] = [];
  const open: OpenTable[] = [];
  let skip = 0; // inside deleted or moved-away text, or a fallback that repeats a choice
  let inRun = 0;
  let inText = false;
  const cell = () => open.at(-1)?.cell ?? null;
  const append = (s: string) => {
    const c = cell();
    if (!c || skip) return;
    if (c.paragraphs.length === 0) c.paragraphs.push('');
    c.paragraphs[c.paragraphs.length - 1] += s;
  };
  readXml(xml, {
    open(name, a) {
      if (name === 'del' || name === 'moveFrom' || name === 'Fallback') skip++;
      else if (name === 'tbl') open.push({ rows: [], row: null, cell: null });
      else if (name === 'tr' && open.length) open.at(-1)!.row = { cells: [], merged: [] };
      else if (name === 'tc' && open.length) open.at(-1)!.cell = { paragraphs: [], span: 1, merge: null };
      else if (name === 'gridSpan' && cell()) cell()!.span = Math.min(Math.max(1, Number(a.val) || 1), 64);
      else if (name === 'vMerge' && cell()) cell()!.merge = a.val === 'restart' ? 'restart' : 'continue';
      else if (name === 'p' && cell() && !skip) cell()!.paragraphs.push('');
      else if (name === 'r') inRun++;
      else if (name === 't') inText = true;
      else if (inRun && (name === 'br' || name === 'cr')) append('\n');
      else if (inRun && name === 'tab') append('\t');
      else if (inRun && name === 'sym') append(symbolText(a));
    },
    close(name) {
      if (name === 'del' || name === 'moveFrom' || name === 'Fallback') skip--;
      else if (name === 'r') inRun--;
      else if (name === 't') inText = false;
      else if (name === 'tc' && open.length) closeCell(open.at(-1)!);
      else if (name === 'tr' && open.length) closeRow(open.at(-1)!);
      else if (name === 'tbl') {
        const done = open.pop()!;
        // A table inside a cell: its rows become lines of that cell.
        if (open.length) append(done.rows.map((r) => r.filter(Boolean).join('\t')).join('\n'));
        else tables.push(done.rows);
      }
    },
    text(t) {
      if (inText) append(t);
    },
  });
  return tables.map((rows, i) => ({ name: String(i + 1), rows: rows.map((cells, r) => ({ n: r + 1, cells })) }));
}
