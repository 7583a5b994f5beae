// The body of the standard: its title block, then each clause drawn by the function for its kind
// (sections and annexes, text, requirements with their table, notes and examples, tables that run
// over pages, terms, references, bibliography), then the closing block with the ICS code and keywords.
// Tagged (tagging.ts): each section a Sect with its numbered heading as H1…H6, text as P, lists as L of
// LI, notes as Note, bibliography entries as BibEntry.
import type { Block } from '../text/markup.js';
import { listMarker } from '../text/markup.js';
import { fill } from './assets.js';
import { BODY, BODY_LEADING, H1, H2, INDENT, SMALL, SMALL_LEADING, gostDate, splitTitle, type StandardLayout } from './standard-layout.js';
import type { PdfClause } from './standard-view.js';
import { layoutTable, type TableCell } from './table.js';
import { headingType, type StructType } from './tagging.js';
import { bold, italic, type Span, type TextStyle } from './text.js';

export function drawTitleBlock(s: StandardLayout): void {
  const b = s.body;
  const { view, text } = s;
  b.newPage();
  const full = (y: number, w: number) => b.rule(b.left, b.left + b.width, y, w);
  full(b.y, 1.2);
  b.y += 4;
  b.paragraph([{ text: text.standardKind.toUpperCase(), style: { face: 'sansBold', size: 11, tracking: 1 } }], { leading: 15, align: 'center', together: true });
  b.y += 2;
  full(b.y, 0.5);
  b.y += 8;
  const [group, rest] = splitTitle(view.titles.ru);
  b.paragraph([{ text: group.toUpperCase(), style: { face: 'sansBold', size: 13 } }], { leading: 17, align: 'center', together: true });
  if (rest) b.paragraph([{ text: rest, style: { face: 'sansBold', size: 12 } }], { leading: 16, align: 'center', together: true });
  b.paragraph([{ text: view.titles.en, style: { face: 'serifItalic', size: 11 } }], { leading: 15, align: 'center', spaceBefore: 4, together: true });
  b.y += 6;
  full(b.y, 1.2);
  b.y += 6;
  const first = view.entryIntoForce?.map((e) => e.date).sort()[0];
  if (first) b.paragraph([{ text: `${text.dateOfEntry} — ${gostDate(first)}`, style: { face: 'sansBold', size: 10 } }], { leading: 14, align: 'right', spaceAfter: 12, together: true });
  else b.space(12);
}

export function drawClosing(s: StandardLayout): void {
  const b = s.body;
  const { view, text } = s;
  if (!view.ics && !view.keywords?.length) return;
  b.space(18);
  b.ensure(60);
  b.rule(b.left, b.left + b.width, b.y, 1);
  b.y += 6;
  if (view.ics) b.paragraph([{ text: `${text.ics} ${view.ics}`, style: { face: 'sans', size: 10 } }], { leading: 14, align: 'left' });
  if (view.keywords?.length) {
    b.paragraph([{ text: `${text.keywords}: `, style: { face: 'sansBold', size: 10 } }, { text: view.keywords.join(', '), style: { face: 'sans', size: 10 } }], { leading: 14, firstIndent: INDENT, spaceBefore: 4 });
  }
  b.y += 4;
  b.rule(b.left, b.left + b.width, b.y, 1);
}

type ClauseDrawer = (s: StandardLayout, c: PdfClause) => void;

const DRAW: Record<PdfClause['kind'], ClauseDrawer> = {
  section: drawSection,
  text: drawText,
  requirement: drawRequirement,
  note: drawNote,
  example: drawNote,
  table: drawTable,
  term: drawTerm,
  reference: drawReference,
  bibliography: drawBibliography,
};

export function drawClause(s: StandardLayout, c: PdfClause): void {
  if (c.kind === 'section') s.openSection(c.depth);
  s.body.tag(s.section(), () => DRAW[c.kind]?.(s, c));
}

/** The clause's number before what follows it on the first line. */
const label = (c: PdfClause, extra: Span[] = []): Span[] => (c.label ? [{ text: `${c.label} `, style: BODY }, ...extra] : extra);
/** A run-in heading: «Маркировка. …». */
const runIn = (c: PdfClause): Span[] => (c.heading ? [{ text: `${c.heading}. `, style: bold(BODY) }] : []);

/** Paragraphs (of the structure type given) and lists of a clause's text, `first` leading its first line. */
function drawBlocks(s: StandardLayout, blocks: readonly Block[], first: Span[], style: TextStyle, leading: number, spaceAfter: number, tag: StructType = 'P'): void {
  const b = s.body;
  if (blocks.length === 0 && first.length) {
    b.paragraph(first, { leading, firstIndent: INDENT, spaceAfter, tag });
    return;
  }
  blocks.forEach((block, i) => {
    const lead = i === 0 ? first : [];
    if (block.type === 'paragraph') {
      b.paragraph([...lead, ...s.spans(block.content, style)], { leading, firstIndent: INDENT, spaceAfter, tag });
    } else {
      if (lead.length) b.paragraph(lead, { leading, firstIndent: INDENT, align: 'left', tag });
      b.tag('L', () => block.items.forEach((item, n) => b.tag('LI', () => {
        b.paragraph([{ text: `${listMarker(block.style, n)} `, style }, ...s.spans(item, style)], { leading, firstIndent: INDENT, spaceAfter: n === block.items.length - 1 ? spaceAfter : 1, tag: 'LBody' });
      })));
    }
  });
}

/** A numbered heading, kept with the start of what follows. */
function drawHeading(s: StandardLayout, c: PdfClause, style: TextStyle, leading: number, before: number): void {
  const b = s.body;
  const title = [c.label, c.heading].filter(Boolean).join(' ');
  b.space(before);
  b.ensure(leading * 2 + BODY_LEADING * 2);
  s.mark(title, c.depth);
  b.paragraph([{ text: title, style }], { leading, firstIndent: INDENT, align: 'left', spaceAfter: 5, keepWithNext: BODY_LEADING * 2, tag: headingType(c.depth) });
}

function drawSection(s: StandardLayout, c: PdfClause): void {
  if (c.depth === 0 && c.annexStatus) drawAnnexTitle(s, c, c.annexStatus);
  else if (c.depth === 0 && c.unnumbered) drawUnnumberedTitle(s, c);
  else if (c.depth === 0) drawHeading(s, c, H1, 16, 14);
  else drawHeading(s, c, H2, 15, 8);
  if (c.blocks) drawBlocks(s, c.blocks, [], BODY, BODY_LEADING, 4);
}

/** «Приложение А», its status and its heading, centred on a new page. */
function drawAnnexTitle(s: StandardLayout, c: PdfClause, status: string): void {
  const b = s.body;
  b.newPage();
  const title = `${c.label} ${status} ${c.heading ?? ''}`.trim();
  s.mark(title, 0);
  const heading = b.tags.add('H1');
  b.paragraph([{ text: c.label ?? '', style: H1 }], { leading: 16, align: 'center', together: true, tag: heading });
  b.paragraph([{ text: status, style: BODY }], { leading: 15, align: 'center', together: true, tag: heading });
  if (c.heading) b.paragraph([{ text: c.heading, style: H1 }], { leading: 16, align: 'center', spaceBefore: 4, together: true, tag: heading });
  b.space(10);
}

/** A top-level section without a number (the bibliography): its heading centred on a new page. */
function drawUnnumberedTitle(s: StandardLayout, c: PdfClause): void {
  const b = s.body;
  b.newPage();
  s.mark(c.heading ?? '', 0);
  b.paragraph([{ text: c.heading ?? '', style: { face: 'sansBold', size: 13 } }], { leading: 17, align: 'center', spaceAfter: 10, together: true, tag: 'H1' });
}

function drawText(s: StandardLayout, c: PdfClause): void {
  drawBlocks(s, c.blocks ?? [], label(c, runIn(c)), BODY, BODY_LEADING, 4);
}

/** The requirement's text, then its parameter, value and test method in a small table. */
function drawRequirement(s: StandardLayout, c: PdfClause): void {
  const b = s.body;
  const r = c.requirement!;
  const lead = label(c, runIn(c));
  if (c.blocks?.length) drawBlocks(s, c.blocks, lead, BODY, BODY_LEADING, 3);
  else b.paragraph([...lead, { text: r.parameter, style: BODY }], { leading: BODY_LEADING, firstIndent: INDENT, spaceAfter: 3, keepWithNext: 40 });
  const cell = (spans: Span[], align: TableCell['align'] = 'left'): TableCell => ({ paragraphs: [spans], align });
  const head = (text: string) => cell([{ text, style: { face: 'sans', size: 9 } }], 'center');
  const [hp, hv, hm] = s.text.requirementHeader;
  layoutTable(b, {
    columns: [50, 30, 20],
    x: INDENT,
    header: [[head(hp!), head(hv!), head(hm!)]],
    rows: [[cell([{ text: r.parameter, style: SMALL }]), cell(s.spans(r.value, SMALL), 'center'), cell([{ text: r.method ? `${s.text.methodPrefix} ${r.method}` : '—', style: SMALL }], 'center')]],
    leading: SMALL_LEADING,
    lineWidth: 0.4,
  });
  b.space(6);
}

/** «П р и м е ч а н и е — …», «П р и м е р — …» in the small size. */
function drawNote(s: StandardLayout, c: PdfClause): void {
  const noun = c.label ?? '';
  const lead: Span[] = [{ text: noun, style: { ...SMALL, tracking: 1.6 } }, { text: ' — ', style: SMALL }];
  s.body.space(2);
  if (c.kind === 'example') drawBlocks(s, c.blocks ?? [], lead, SMALL, SMALL_LEADING, 4);
  else s.body.tag('Note', () => drawBlocks(s, c.blocks ?? [], lead, SMALL, SMALL_LEADING, 4), { id: `note-${c.key}` });
}

/** A captioned table; its continuations say «Продолжение таблицы N» and «Окончание таблицы N». */
function drawTable(s: StandardLayout, c: PdfClause): void {
  const b = s.body;
  const t = c.table!;
  const tableNo = c.label?.replace(/^\S+\s/, '') ?? '';
  const caption: Span[] = [{ text: c.label ?? '', style: BODY }, ...(t.caption ? [{ text: ' — ', style: BODY }, ...s.spans(t.caption)] : [])];
  const small = { ...SMALL };
  b.space(4);
  layoutTable(b, {
    columns: 'auto',
    header: [t.header.map((h) => ({ paragraphs: [s.spans(h, small)], align: 'center' as const }))],
    rows: t.rows.map((row) => t.header.map((_, i) => ({ paragraphs: [s.spans(row[i] ?? [], small)] }))),
    leading: SMALL_LEADING,
    caption: { spans: caption },
    continuation: (last) => [{ text: fill(last ? s.text.continuationLast : s.text.continuation, { n: tableNo }), style: italic(BODY) }],
    captionLeading: BODY_LEADING,
  });
  b.space(8);
}

function drawTerm(s: StandardLayout, c: PdfClause): void {
  const t = c.term!;
  const lead = label(c, [{ text: t.ru, style: bold(BODY) }, ...(t.en ? [{ text: ` (${t.en})`, style: BODY }] : []), { text: ': ', style: BODY }]);
  s.body.paragraph([...lead, ...s.spans(t.definition)], { leading: BODY_LEADING, firstIndent: INDENT, spaceAfter: 4 });
}

function drawReference(s: StandardLayout, c: PdfClause): void {
  const r = c.reference!;
  s.body.paragraph([{ text: `${r.designation} `, style: BODY }, { text: r.title, style: BODY }], { leading: BODY_LEADING, firstIndent: INDENT, spaceAfter: 2 });
}

function drawBibliography(s: StandardLayout, c: PdfClause): void {
  drawBlocks(s, c.blocks ?? [], label(c), BODY, BODY_LEADING, 4, 'BibEntry');
}
