// The contents page of the standard: the headings the body recorded (two levels), with dot leaders and
// the page numbers in a column of their own.
import type { Flow } from './layout.js';
import { BODY, BODY_LEADING, INDENT, type ContentsEntry, type StandardLayout } from './standard-layout.js';
import type { TextStyle } from './text.js';

const NUMBER_COLUMN = 28;

/** The contents, with page numbers given by the caller (the body's place is known only afterwards). */
export function layoutContents(s: StandardLayout, flow: Flow, pageOf: (e: ContentsEntry) => number): void {
  flow.newPage();
  s.outline.push({ title: s.text.contents, page: 0, y: flow.y, depth: 0, part: 'contents' });
  flow.paragraph([{ text: s.text.contents, style: { face: 'sansBold', size: 13 } }], { leading: 17, align: 'center', spaceAfter: 10, together: true });
  const dot = { face: 'serif' as const, size: 11 };
  const dotWidth = flow.m.width('.', dot) + 2.2;
  for (const e of s.contents) {
    const indent = e.depth * INDENT;
    const width = flow.width - NUMBER_COLUMN - indent - 8;
    const lines = flow.lines([{ text: e.text, style: BODY }], width, 0, e.depth === 0 ? INDENT * 0.6 : 0);
    flow.ensure(lines.length * BODY_LEADING);
    lines.forEach((line, i) => {
      flow.drawLine(line, flow.left + indent, flow.y, BODY_LEADING, 'left');
      if (i === lines.length - 1) {
        drawLeader(flow, flow.left + indent + line.indent + line.width + 4, dot, dotWidth);
        drawPageNumber(flow, String(pageOf(e)));
      }
      flow.y += BODY_LEADING;
    });
    flow.y += e.depth === 0 ? 2 : 0;
  }
}

/** Dots from endX to the page-number column. */
function drawLeader(flow: Flow, endX: number, dot: TextStyle, dotWidth: number): void {
  const dots = Math.max(0, Math.floor((flow.left + flow.width - NUMBER_COLUMN - endX) / dotWidth));
  if (dots <= 0) return;
  flow.drawLine({ runs: [{ text: '.'.repeat(dots), style: { ...dot, tracking: 2.2 }, width: dots * dotWidth }], width: dots * dotWidth, spaces: 0, indent: 0, available: dots * dotWidth, last: true }, endX, flow.y, BODY_LEADING, 'left');
}

function drawPageNumber(flow: Flow, n: string): void {
  const w = flow.m.width(n, BODY);
  flow.drawLine({ runs: [{ text: n, style: BODY, width: w }], width: w, spaces: 0, indent: 0, available: NUMBER_COLUMN, last: true }, flow.left + flow.width - NUMBER_COLUMN, flow.y, BODY_LEADING, 'right');
}
