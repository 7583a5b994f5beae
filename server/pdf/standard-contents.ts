// The contents page of the standard: the headings the body recorded (two levels), with dot leaders and
// the page numbers in a column of their own. Tagged as a TOC of TOCI items, each a Link to its heading
// (an annotation over the entry, going to the destination the body recorded); the dots are artifacts.
import type { Flow } from './layout.js';
import { BODY, BODY_LEADING, INDENT, type ContentsEntry, type StandardLayout } from './standard-layout.js';
import type { TextStyle } from './text.js';

const NUMBER_COLUMN = 28;

/** The contents, with page numbers given by the caller (the body's place is known only afterwards). */
export function layoutContents(s: StandardLayout, flow: Flow, pageOf: (e: ContentsEntry) => number): void {
  flow.newPage();
  s.outline.push({ title: s.text.contents, page: 0, y: flow.y, depth: 0, part: 'contents' });
  flow.tag(s.toc ?? flow.tags.root, () => {
    flow.paragraph([{ text: s.text.contents, style: { face: 'sansBold', size: 13 } }], { leading: 17, align: 'center', spaceAfter: 10, together: true, tag: 'H1' });
    flow.tag('TOC', () => {
      for (const e of s.contents) flow.tag('TOCI', () => flow.tag('Link', () => drawEntry(flow, e, String(pageOf(e)))));
    });
  });
}

const DOT = { face: 'serif' as const, size: 11 };

/** One entry: its heading over as many lines as it takes, the dots and its page number, and the link over them. */
function drawEntry(flow: Flow, e: ContentsEntry, page: string): void {
  const dotWidth = flow.m.width('.', DOT) + 2.2;
  const indent = e.depth * INDENT;
  const width = flow.width - NUMBER_COLUMN - indent - 8;
  const lines = flow.lines([{ text: e.text, style: BODY }], width, 0, e.depth === 0 ? INDENT * 0.6 : 0);
  flow.ensure(lines.length * BODY_LEADING);
  flow.tags.link(flow.page, { x: flow.left + indent, y: flow.y, width: flow.width - indent, height: lines.length * BODY_LEADING, dest: e.dest, contents: e.text });
  lines.forEach((line, i) => {
    flow.drawLine(line, flow.left + indent, flow.y, BODY_LEADING, 'left');
    if (i === lines.length - 1) {
      drawLeader(flow, flow.left + indent + line.indent + line.width + 4, DOT, dotWidth);
      drawPageNumber(flow, page);
    }
    flow.y += BODY_LEADING;
  });
  flow.y += e.depth === 0 ? 2 : 0;
}

/** Dots from endX to the page-number column. */
function drawLeader(flow: Flow, endX: number, dot: TextStyle, dotWidth: number): void {
  const dots = Math.max(0, Math.floor((flow.left + flow.width - NUMBER_COLUMN - endX) / dotWidth));
  if (dots <= 0) return;
  flow.artifact(flow.lineOps({ runs: [{ text: '.'.repeat(dots), style: { ...dot, tracking: 2.2 }, width: dots * dotWidth }], width: dots * dotWidth, spaces: 0, indent: 0, available: dots * dotWidth, last: true }, endX, flow.y, BODY_LEADING, 'left'));
}

function drawPageNumber(flow: Flow, n: string): void {
  const w = flow.m.width(n, BODY);
  flow.drawLine({ runs: [{ text: n, style: BODY, width: w }], width: w, spaces: 0, indent: 0, available: NUMBER_COLUMN, last: true }, flow.left + flow.width - NUMBER_COLUMN, flow.y, BODY_LEADING, 'right');
}
