// Styled text → lines → PDF text operators, the names the rest of the renderer uses: the styles and
// their measure (text-style.ts), line breaking (line-break.ts), the operators of a line (line-ops.ts),
// and here the markup's inline runs as styled spans. User text only ever becomes glyphs: it is normalised
// (control characters dropped, whitespace collapsed) and encoded glyph by glyph into hex strings, so
// nothing in it can reach the content stream as an operator.
import type { Inline } from '../text/markup.js';
import { bold, italic, type Span, type TextStyle } from './text-style.js';

export { bold, italic, Measurer, num, type Align, type Rgb, type Span, type TextStyle } from './text-style.js';
export { breakLines, type BreakOptions, type Line, type LineRun } from './line-break.js';
export { lineOps } from './line-ops.js';

/** Resolves a cross-reference to the number printed in its place; undefined prints «[?]». */
export type RefLabel = (key: string) => string | undefined;

/** The markup AST's inline runs as styled spans. */
export function inlineSpans(nodes: readonly Inline[], style: TextStyle, resolve: RefLabel): Span[] {
  const out: Span[] = [];
  const walk = (list: readonly Inline[], s: TextStyle) => {
    for (const n of list) {
      if (n.type === 'text') out.push({ text: n.text, style: s });
      else if (n.type === 'ref') out.push({ text: resolve(n.key) ?? '[?]', style: s });
      else if (n.type === 'em') walk(n.children, italic(s));
      else if (n.type === 'strong') walk(n.children, bold(s));
      else {
        const size = s.size * 0.7;
        const rise = (s.rise ?? 0) + (n.type === 'sup' ? s.size * 0.36 : -s.size * 0.14);
        walk(n.children, { ...s, size, rise });
      }
    }
  };
  walk(nodes, style);
  return out;
}

export function plainSpans(text: string, style: TextStyle): Span[] {
  return [{ text, style }];
}
