// The clauses of a standard as Word paragraphs and tables, one function per kind (as server/pdf/standard-body.ts
// draws them): sections and annexes as headings with their derived numbers, text, requirements with their
// table, notes and examples, captioned tables with a repeated header row, terms, references, bibliography.
// Lists are written as paragraphs that carry their markers as text (docs/word.md).
import { AlignmentType, HeadingLevel, Paragraph, Table, TableCell, TableRow, TextRun, WidthType, type FileChild, type IParagraphOptions } from 'docx';
import type { Boilerplate } from '../pdf/assets.js';
import type { PdfClause } from '../pdf/standard-view.js';
import { listMarker, type Block } from '../text/markup.js';
import { inlineRuns, type RunStyle } from './runs.js';
import { pt } from './styles.js';

export interface BodyContext {
  refs: Record<string, string>;
  text: Boilerplate;
}

type Writer = (c: PdfClause, x: BodyContext) => FileChild[];

const WRITE: Record<PdfClause['kind'], Writer> = {
  section: writeSection,
  text: writeText,
  requirement: writeRequirement,
  note: writeNote,
  example: writeNote,
  table: writeTable,
  term: writeTerm,
  reference: writeReference,
  bibliography: writeText,
};

export function clauseChildren(c: PdfClause, x: BodyContext): FileChild[] {
  return WRITE[c.kind]?.(c, x) ?? [];
}

/** The clause's number, then its run-in heading («Маркировка. »), before the first line of its text. */
function lead(c: PdfClause): TextRun[] {
  const runs: TextRun[] = [];
  if (c.label) runs.push(new TextRun(`${c.label} `));
  if (c.heading && c.kind !== 'section') runs.push(new TextRun({ text: `${c.heading}. `, bold: true }));
  return runs;
}

/** Paragraphs and lists, `first` leading the first line; list items carry their marker as text. */
function blocks(list: readonly Block[], first: TextRun[], x: BodyContext, style: string, run: RunStyle = {}): Paragraph[] {
  if (list.length === 0) return first.length ? [new Paragraph({ style, children: first })] : [];
  const out: Paragraph[] = [];
  list.forEach((block, i) => {
    const head = i === 0 ? first : [];
    if (block.type === 'paragraph') {
      out.push(new Paragraph({ style, children: [...head, ...inlineRuns(block.content, x.refs, run)] }));
      return;
    }
    if (head.length) out.push(new Paragraph({ style, children: head, keepNext: true }));
    block.items.forEach((item, n) => {
      out.push(new Paragraph({ style, children: [new TextRun({ ...run, text: `${listMarker(block.style, n)} ` }), ...inlineRuns(item, x.refs, run)] }));
    });
  });
  return out;
}

const HEADING: Record<number, IParagraphOptions['heading']> = { 0: HeadingLevel.HEADING_1, 1: HeadingLevel.HEADING_2 };

function writeSection(c: PdfClause, x: BodyContext): FileChild[] {
  const body = blocks(c.blocks ?? [], [], x, 'AccordBody');
  if (c.depth === 0 && (c.annexStatus || c.unnumbered)) {
    // Annexes and the bibliography start a page, their title centred (GOST 1.5); the status under the number.
    const title: TextRun[] = [new TextRun(c.label ?? c.heading ?? '')];
    if (c.annexStatus) title.push(new TextRun({ text: c.annexStatus, break: 1, bold: false }));
    if (c.annexStatus && c.heading) title.push(new TextRun({ text: c.heading, break: 1 }));
    return [new Paragraph({ heading: HeadingLevel.HEADING_1, alignment: AlignmentType.CENTER, indent: { firstLine: 0 }, pageBreakBefore: true, children: title }), ...body];
  }
  const title = [c.label, c.heading].filter(Boolean).join(' ');
  return [new Paragraph({ heading: HEADING[c.depth] ?? HeadingLevel.HEADING_3, children: [new TextRun(title)] }), ...body];
}

function writeText(c: PdfClause, x: BodyContext): FileChild[] {
  return blocks(c.blocks ?? [], lead(c), x, 'AccordBody');
}

const cellOf = (runs: TextRun[], align: (typeof AlignmentType)[keyof typeof AlignmentType] = AlignmentType.LEFT) =>
  new TableCell({ children: [new Paragraph({ style: 'AccordTableText', alignment: align, children: runs })] });

/** A table across the text width, its first row repeated on every page it runs over. */
function grid(header: TableCell[], rows: TableCell[][], widths?: number[]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    columnWidths: widths,
    rows: [new TableRow({ tableHeader: true, cantSplit: true, children: header }), ...rows.map((r) => new TableRow({ cantSplit: true, children: r }))],
  });
}

/** The requirement's text, then its parameter, value and test method in a small table. */
function writeRequirement(c: PdfClause, x: BodyContext): FileChild[] {
  const r = c.requirement!;
  const text = c.blocks?.length ? blocks(c.blocks, lead(c), x, 'AccordBody') : [new Paragraph({ style: 'AccordBody', keepNext: true, children: [...lead(c), new TextRun(r.parameter)] })];
  const head = x.text.requirementHeader.map((h) => cellOf([new TextRun({ text: h, bold: true })], AlignmentType.CENTER));
  const method = r.method ? `${x.text.methodPrefix} ${r.method}` : '—';
  const row = [cellOf([new TextRun(r.parameter)]), cellOf(inlineRuns(r.value, x.refs), AlignmentType.CENTER), cellOf([new TextRun(method)], AlignmentType.CENTER)];
  return [...text, grid(head, [row], [4500, 2700, 1800]), new Paragraph({ style: 'AccordTableText', children: [] })];
}

/** «П р и м е ч а н и е — …»: the noun letter-spaced, the text in the small size. */
function writeNote(c: PdfClause, x: BodyContext): FileChild[] {
  const first = [new TextRun({ text: c.label ?? '', characterSpacing: 60 }), new TextRun(' — ')];
  return blocks(c.blocks ?? [], first, x, 'AccordNote', { size: pt(10) });
}

/** «Таблица 1 — Caption» kept with the table; the header row repeats on every page (Word's «повторять»). */
function writeTable(c: PdfClause, x: BodyContext): FileChild[] {
  const t = c.table!;
  const caption = new Paragraph({ style: 'Caption', children: [new TextRun(c.label ?? ''), ...(t.caption ? [new TextRun(' — '), ...inlineRuns(t.caption, x.refs)] : [])] });
  const header = t.header.map((h) => cellOf(inlineRuns(h, x.refs, { bold: true }), AlignmentType.CENTER));
  const rows = t.rows.map((row) => t.header.map((_, i) => cellOf(inlineRuns(row[i] ?? [], x.refs))));
  return [caption, grid(header, rows), new Paragraph({ style: 'AccordTableText', children: [] })];
}

function writeTerm(c: PdfClause, x: BodyContext): FileChild[] {
  const t = c.term!;
  const runs: TextRun[] = [...(c.label ? [new TextRun(`${c.label} `)] : []), new TextRun({ text: t.ru, bold: true })];
  if (t.en) runs.push(new TextRun(` (${t.en})`));
  runs.push(new TextRun(': '), ...inlineRuns(t.definition, x.refs));
  return [new Paragraph({ style: 'AccordBody', children: runs })];
}

function writeReference(c: PdfClause): FileChild[] {
  const r = c.reference!;
  return [new Paragraph({ style: 'AccordBody', children: [new TextRun(`${r.designation} ${r.title}`)] })];
}
