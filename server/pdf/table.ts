// Ruled tables that run over as many pages as they need: the header rows repeat on every page under
// «Продолжение таблицы N» («Окончание таблицы N» on the last), and a row taller than a page is cut
// between its lines rather than pushed off the bottom.
import { type Flow } from './layout.js';
import { num, type Align, type Line, type Rgb, type Span } from './text.js';

export interface TableCell {
  paragraphs: Span[][];
  align?: Align;
  /** Columns this cell covers (a group row across the whole table). */
  colSpan?: number;
  fill?: Rgb;
}

export interface TableSpec {
  /** Column widths, relative and scaled to the table's width; 'auto' sizes them by their content. */
  columns: number[] | 'auto';
  header: TableCell[][];
  rows: TableCell[][];
  leading: number;
  /** Offset from the left margin and width (default: the whole text width). */
  x?: number;
  width?: number;
  paddingX?: number;
  paddingY?: number;
  /** Printed above the table on its first page. */
  caption?: { spans: Span[]; align?: Align };
  /** Printed above each continuation; `last` is true on the page where the table ends. */
  continuation?: (last: boolean) => Span[];
  captionLeading?: number;
  lineWidth?: number;
  headerFill?: Rgb;
  /** Told where each row begins (bookmarks of the groups of a summary). */
  onRowStart?: (index: number, page: number, y: number) => void;
}

interface PreparedCell { lines: Line[]; x: number; width: number; align: Align; fill?: Rgb }
interface PreparedRow { cells: PreparedCell[]; lines: number }

function prepareRow(flow: Flow, cells: TableCell[], colX: number[], colW: number[], padX: number): PreparedRow {
  let col = 0;
  const out: PreparedCell[] = [];
  for (const cell of cells) {
    const span = Math.max(1, Math.min(cell.colSpan ?? 1, colW.length - col));
    const width = colW.slice(col, col + span).reduce((a, b) => a + b, 0);
    const inner = Math.max(4, width - 2 * padX);
    const lines = cell.paragraphs.flatMap((p) => (p.length ? flow.lines(p, inner) : []));
    out.push({ lines, x: colX[col]!, width, align: cell.align ?? 'left', fill: cell.fill });
    col += span;
  }
  return { cells: out, lines: Math.max(1, ...out.map((c) => c.lines.length)) };
}

export function layoutTable(flow: Flow, spec: TableSpec): void {
  const width = spec.width ?? flow.width - (spec.x ?? 0);
  const x0 = flow.left + (spec.x ?? 0);
  const padX = spec.paddingX ?? 3;
  const columns = spec.columns === 'auto' ? autoColumns(flow, spec, width, padX) : spec.columns;
  const total = columns.reduce((a, b) => a + b, 0);
  const colW = columns.map((c) => (c / total) * width);
  const colX: number[] = [];
  colW.reduce((x, w) => (colX.push(x), x + w), x0);
  const padY = spec.paddingY ?? 2;
  const L = spec.leading;
  const capLeading = spec.captionLeading ?? L * 1.1;
  const lw = spec.lineWidth ?? 0.5;

  const rowHeight = (r: PreparedRow, from = 0) => (r.lines - from) * L + 2 * padY;
  let header = spec.header.map((r) => prepareRow(flow, r, colX, colW, padX));
  const rows = spec.rows.map((r) => prepareRow(flow, r, colX, colW, padX));
  // A header too tall to repeat is printed once, as rows that may split like any other.
  if (header.reduce((h, r) => h + rowHeight(r), 0) > flow.capacity / 2) {
    rows.unshift(...header);
    header = [];
  }
  const headerHeight = header.reduce((h, r) => h + rowHeight(r), 0);
  // What remains of the table from each row on, to know which continuation is the last one.
  const rest = new Array<number>(rows.length + 1).fill(0);
  for (let i = rows.length - 1; i >= 0; i--) rest[i] = rest[i + 1]! + rowHeight(rows[i]!);

  const captionLines = spec.caption ? flow.lines(spec.caption.spans, width) : [];
  const continuationHeight = spec.continuation ? capLeading : 0;

  const drawCaption = (lines: Line[], align: Align) => {
    for (const line of lines) {
      flow.drawLine(line, x0, flow.y, capLeading, align);
      flow.y += capLeading;
    }
  };

  const drawSegment = (row: PreparedRow, from: number, count: number, fillDefault?: Rgb) => {
    const top = flow.y;
    const h = count * L + 2 * padY;
    const ops: string[] = [];
    for (const cell of row.cells) {
      const fill = cell.fill ?? fillDefault;
      if (fill) ops.push(`q ${num(fill[0])} ${num(fill[1])} ${num(fill[2])} rg ${num(cell.x)} ${num(top)} ${num(cell.width)} ${num(h)} re f Q`);
    }
    if (ops.length) flow.op(ops.join('\n'));
    for (const cell of row.cells) {
      const lines = cell.lines.slice(from, from + count);
      lines.forEach((line, i) => flow.drawLine(line, cell.x + padX, top + padY + i * L, L, cell.align));
    }
    // The grid: the row's top and bottom, and a vertical at every cell edge.
    const grid: string[] = [`q 0 0 0 RG ${num(lw)} w`];
    const right = x0 + width;
    grid.push(`${num(x0)} ${num(top)} m ${num(right)} ${num(top)} l`, `${num(x0)} ${num(top + h)} m ${num(right)} ${num(top + h)} l`);
    for (const cell of row.cells) grid.push(`${num(cell.x)} ${num(top)} m ${num(cell.x)} ${num(top + h)} l`);
    grid.push(`${num(right)} ${num(top)} m ${num(right)} ${num(top + h)} l`, 'S Q');
    flow.op(grid.join('\n'));
    flow.y = top + h;
  };

  const drawHeader = () => {
    for (const r of header) drawSegment(r, 0, r.lines, spec.headerFill);
  };

  const continueOnNewPage = (nextRow: number) => {
    flow.newPage();
    if (spec.continuation) {
      const last = rest[nextRow]! <= flow.capacity - continuationHeight - headerHeight;
      drawCaption(flow.lines(spec.continuation(last), width), 'left');
    }
    drawHeader();
  };

  const captionHeight = captionLines.length * capLeading;
  const firstRow = rows[0] ? Math.min(rowHeight(rows[0]), L * 2 + 2 * padY) : 0;
  flow.ensure(Math.min(captionHeight + headerHeight + firstRow, flow.capacity));
  drawCaption(captionLines, spec.caption?.align ?? 'left');
  drawHeader();

  const freshRoom = () => flow.capacity - continuationHeight - headerHeight;
  rows.forEach((row, index) => {
    let from = 0;
    let fresh = false;
    for (;;) {
      const need = rowHeight(row, from);
      if (need <= flow.room() + 0.01) {
        if (from === 0) spec.onRowStart?.(index, flow.pageIndex, flow.y);
        drawSegment(row, from, row.lines - from);
        return;
      }
      if (from === 0 && need <= freshRoom() && !fresh) {
        continueOnNewPage(index);
        fresh = true;
        continue;
      }
      // On a fresh page at least one line goes, so that the loop always moves on.
      const fit = Math.max(fresh ? 1 : 0, Math.floor((flow.room() - 2 * padY) / L));
      if (fit < 1) {
        continueOnNewPage(index);
        fresh = true;
        continue;
      }
      if (from === 0) spec.onRowStart?.(index, flow.pageIndex, flow.y);
      drawSegment(row, from, fit);
      from += fit;
      continueOnNewPage(index);
      fresh = true;
    }
  });
}

/**
 * Column widths from the content (of the header and the first rows): every column gets at least its
 * longest word, and the rest of the width goes where the text is longest, as a typesetter would.
 */
function autoColumns(flow: Flow, spec: TableSpec, width: number, padX: number): number[] {
  const n = Math.max(1, ...spec.header.map((r) => r.length), ...spec.rows.slice(0, 1).map((r) => r.length));
  const min = new Array<number>(n).fill(0);
  const natural = new Array<number>(n).fill(0);
  for (const row of [...spec.header, ...spec.rows.slice(0, 200)]) {
    row.forEach((cell, j) => {
      if (j >= n || (cell.colSpan ?? 1) > 1) return;
      for (const para of cell.paragraphs) {
        let whole = 0;
        for (const span of para) {
          whole += flow.m.width(span.text, span.style);
          for (const word of span.text.split(/\s+/)) if (word) min[j] = Math.max(min[j]!, Math.min(width / 2, flow.m.width(word, span.style)));
        }
        natural[j] = Math.max(natural[j]!, Math.min(width, whole));
      }
    });
  }
  const lo = min.map((w) => w + 2 * padX + 1);
  const hi = natural.map((w, j) => Math.max(w + 2 * padX + 1, lo[j]!));
  const sumLo = lo.reduce((a, b) => a + b, 0);
  const sumHi = hi.reduce((a, b) => a + b, 0);
  if (sumHi <= width) return hi.map((w) => w * (width / sumHi));
  if (sumLo >= width) return lo;
  return lo.map((w, j) => w + ((width - sumLo) * (hi[j]! - w)) / (sumHi - sumLo));
}
