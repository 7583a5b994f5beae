// Ruled tables that run over as many pages as they need: the header rows repeat on every page under
// «Продолжение таблицы N» («Окончание таблицы N» on the last), and a row taller than a page is cut
// between its lines rather than pushed off the bottom. Tagged (tagging.ts) as a Table of TR rows of TH
// (scope Column) and TD cells with its Caption; the repeated headers, continuation captions, fills and
// grid are artifacts.
import { type Flow } from './layout.js';
import type { StructNode } from './tagging.js';
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

interface PreparedCell { lines: Line[]; x: number; width: number; align: Align; fill?: Rgb; node?: StructNode }
/** A row, its structure element made when it is first drawn; `head`: its cells are header cells. */
interface PreparedRow { cells: PreparedCell[]; lines: number; head: boolean; node?: StructNode }

/** Where the table and each of its columns sit on the page. */
interface Columns { x0: number; width: number; padX: number; colX: number[]; colW: number[] }

function measureColumns(flow: Flow, spec: TableSpec): Columns {
  const width = spec.width ?? flow.width - (spec.x ?? 0);
  const x0 = flow.left + (spec.x ?? 0);
  const padX = spec.paddingX ?? 3;
  const columns = spec.columns === 'auto' ? autoColumns(flow, spec, width, padX) : spec.columns;
  const total = columns.reduce((a, b) => a + b, 0);
  const colW = columns.map((c) => (c / total) * width);
  const colX: number[] = [];
  colW.reduce((x, w) => (colX.push(x), x + w), x0);
  return { x0, width, padX, colX, colW };
}

function prepareRow(flow: Flow, cells: TableCell[], { colX, colW, padX }: Columns, head: boolean): PreparedRow {
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
  return { cells: out, lines: Math.max(1, ...out.map((c) => c.lines.length)), head };
}

export function layoutTable(flow: Flow, spec: TableSpec): void {
  const table = new TableLayout(flow, spec, flow.tags.add('Table'));
  table.begin();
  table.rows.forEach((row, index) => table.place(row, index));
}

/** One table being laid out: its measured rows, and the drawing of rows, header and continuations. */
class TableLayout {
  private readonly cols: Columns;
  private readonly padY: number;
  private readonly L: number;
  private readonly capLeading: number;
  private readonly lw: number;
  private readonly header: PreparedRow[];
  readonly rows: PreparedRow[];
  private readonly headerHeight: number;
  /** What remains of the table from each row on, to know which continuation is the last one. */
  private readonly rest: number[];
  private readonly continuationHeight: number;

  /** The header has been drawn once: later it repeats as an artifact. */
  private headerDrawn = false;

  constructor(private readonly flow: Flow, private readonly spec: TableSpec, private readonly node: StructNode) {
    this.cols = measureColumns(flow, spec);
    this.padY = spec.paddingY ?? 2;
    this.L = spec.leading;
    this.capLeading = spec.captionLeading ?? this.L * 1.1;
    this.lw = spec.lineWidth ?? 0.5;
    let header = spec.header.map((r) => prepareRow(flow, r, this.cols, true));
    const rows = spec.rows.map((r) => prepareRow(flow, r, this.cols, false));
    // A header too tall to repeat is printed once, as rows that may split like any other.
    if (header.reduce((h, r) => h + this.rowHeight(r), 0) > flow.capacity / 2) {
      rows.unshift(...header);
      header = [];
    }
    this.header = header;
    this.rows = rows;
    this.headerHeight = header.reduce((h, r) => h + this.rowHeight(r), 0);
    this.rest = new Array<number>(rows.length + 1).fill(0);
    for (let i = rows.length - 1; i >= 0; i--) this.rest[i] = this.rest[i + 1]! + this.rowHeight(rows[i]!);
    this.continuationHeight = spec.continuation ? this.capLeading : 0;
  }

  private rowHeight(r: PreparedRow, from = 0): number {
    return (r.lines - from) * this.L + 2 * this.padY;
  }

  /** The caption, with the header and the start of the first row on the same page. */
  begin(): void {
    const { flow, spec, L, padY } = this;
    const captionLines = spec.caption ? flow.lines(spec.caption.spans, this.cols.width) : [];
    const captionHeight = captionLines.length * this.capLeading;
    const firstRow = this.rows[0] ? Math.min(this.rowHeight(this.rows[0]), L * 2 + 2 * padY) : 0;
    flow.ensure(Math.min(captionHeight + this.headerHeight + firstRow, flow.capacity));
    if (captionLines.length) this.flow.tag(this.node, () => this.flow.tag('Caption', () => this.drawCaption(captionLines, spec.caption?.align ?? 'left')));
    this.drawHeader();
  }

  /** A row where it fits whole, else on a fresh page, else cut between its lines over as many pages as it takes. */
  place(row: PreparedRow, index: number): void {
    const { flow, spec, L, padY } = this;
    let from = 0;
    let fresh = false;
    for (;;) {
      const need = this.rowHeight(row, from);
      if (need <= flow.room() + 0.01) {
        if (from === 0) spec.onRowStart?.(index, flow.pageIndex, flow.y);
        this.drawSegment(row, from, row.lines - from);
        return;
      }
      if (from === 0 && need <= this.freshRoom() && !fresh) {
        this.continueOnNewPage(index);
        fresh = true;
        continue;
      }
      // On a fresh page at least one line goes, so that the loop always moves on.
      const fit = Math.max(fresh ? 1 : 0, Math.floor((flow.room() - 2 * padY) / L));
      if (fit < 1) {
        this.continueOnNewPage(index);
        fresh = true;
        continue;
      }
      if (from === 0) spec.onRowStart?.(index, flow.pageIndex, flow.y);
      this.drawSegment(row, from, fit);
      from += fit;
      this.continueOnNewPage(index);
      fresh = true;
    }
  }

  /** Room for rows on a page that continues the table. */
  private freshRoom(): number {
    return this.flow.capacity - this.continuationHeight - this.headerHeight;
  }

  private continueOnNewPage(nextRow: number): void {
    const { flow, spec } = this;
    flow.newPage();
    if (spec.continuation) {
      const last = this.rest[nextRow]! <= this.freshRoom();
      this.drawCaption(flow.lines(spec.continuation(last), this.cols.width), 'left', true);
    }
    this.drawHeader();
  }

  /** A caption, or (artifact) a continuation's: «Продолжение таблицы 1» says nothing a reader needs. */
  private drawCaption(lines: Line[], align: Align, artifact = false): void {
    const f = this.flow;
    for (const line of lines) {
      if (artifact) f.artifact(f.lineOps(line, this.cols.x0, f.y, this.capLeading, align), 'Header');
      else f.drawLine(line, this.cols.x0, f.y, this.capLeading, align);
      f.y += this.capLeading;
    }
  }

  private drawHeader(): void {
    for (const r of this.header) this.drawSegment(r, 0, r.lines, this.spec.headerFill, this.headerDrawn);
    this.headerDrawn = true;
  }

  /** The row's structure element and its cells', made the first time it is drawn. */
  private rowNode(row: PreparedRow): StructNode {
    const tags = this.flow.tags;
    if (row.node) return row.node;
    const node = tags.within(this.node, () => tags.add('TR'));
    tags.within(node, () => {
      for (const cell of row.cells) cell.node = row.head ? tags.add('TH', { scope: 'Column' }) : tags.add('TD');
    });
    return (row.node = node);
  }

  /** Lines from..from+count of a row: cell fills, text (a repeated header's as an artifact), then the grid. */
  private drawSegment(row: PreparedRow, from: number, count: number, fillDefault?: Rgb, repeated = false): void {
    const { flow, L, padY } = this;
    const padX = this.cols.padX;
    const top = flow.y;
    const h = count * L + 2 * padY;
    const fills = cellFills(row, top, h, fillDefault);
    if (fills.length) flow.artifact(fills.join('\n'));
    if (!repeated) this.rowNode(row);
    for (const cell of row.cells) {
      const lines = cell.lines.slice(from, from + count);
      const draw = () => lines.forEach((line, i) => {
        if (repeated) flow.artifact(flow.lineOps(line, cell.x + padX, top + padY + i * L, L, cell.align), 'Header');
        else flow.drawLine(line, cell.x + padX, top + padY + i * L, L, cell.align);
      });
      if (cell.node) flow.tag(cell.node, draw);
      else draw();
    }
    flow.artifact(rowGrid(row, this.cols, top, h, this.lw));
    flow.y = top + h;
  }
}

function cellFills(row: PreparedRow, top: number, h: number, fillDefault?: Rgb): string[] {
  const ops: string[] = [];
  for (const cell of row.cells) {
    const fill = cell.fill ?? fillDefault;
    if (fill) ops.push(`q ${num(fill[0])} ${num(fill[1])} ${num(fill[2])} rg ${num(cell.x)} ${num(top)} ${num(cell.width)} ${num(h)} re f Q`);
  }
  return ops;
}

/** The grid of a row: its top and bottom, and a vertical at every cell edge. */
function rowGrid(row: PreparedRow, { x0, width }: Columns, top: number, h: number, lw: number): string {
  const grid: string[] = [`q 0 0 0 RG ${num(lw)} w`];
  const right = x0 + width;
  grid.push(`${num(x0)} ${num(top)} m ${num(right)} ${num(top)} l`, `${num(x0)} ${num(top + h)} m ${num(right)} ${num(top + h)} l`);
  for (const cell of row.cells) grid.push(`${num(cell.x)} ${num(top)} m ${num(cell.x)} ${num(top + h)} l`);
  grid.push(`${num(right)} ${num(top)} m ${num(right)} ${num(top + h)} l`, 'S Q');
  return grid.join('\n');
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
