// Clause text as Word runs: the markup's inline nodes (server/text/markup.ts) with their emphasis,
// super- and subscripts, and cross-references printed as the numbers the view model derived.
import { TextRun, type IRunOptions } from 'docx';
import type { Inline } from '../text/markup.js';

export type RunStyle = Pick<IRunOptions, 'bold' | 'italics' | 'size' | 'font' | 'color' | 'superScript' | 'subScript' | 'characterSpacing'>;

/** The runs of one paragraph's inline content; a reference to an unknown key prints «[?]», as in the PDF. */
export function inlineRuns(nodes: readonly Inline[], refs: Record<string, string>, style: RunStyle = {}): TextRun[] {
  const out: TextRun[] = [];
  const walk = (list: readonly Inline[], s: RunStyle) => {
    for (const n of list) {
      if (n.type === 'text') out.push(new TextRun({ ...s, text: n.text }));
      else if (n.type === 'ref') out.push(new TextRun({ ...s, text: refs[n.key] ?? '[?]' }));
      else if (n.type === 'em') walk(n.children, { ...s, italics: true });
      else if (n.type === 'strong') walk(n.children, { ...s, bold: true });
      else if (n.type === 'sup') walk(n.children, { ...s, superScript: true });
      else walk(n.children, { ...s, subScript: true });
    }
  };
  walk(nodes, style);
  return out;
}

/** Plain text as runs, a line break for each newline (comment texts keep the lines they were typed with). */
export function textRuns(text: string, style: RunStyle = {}): TextRun[] {
  return text.split(/\r\n?|\n/).map((line, i) => new TextRun({ ...style, text: line, break: i > 0 ? 1 : undefined }));
}
