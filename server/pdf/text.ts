// Styled text → lines → PDF text operators. User text only ever becomes glyphs: it is normalised (control
// characters dropped, whitespace collapsed) and encoded glyph by glyph into hex strings, so nothing in it
// can reach the content stream as an operator.
import type { Inline } from '../text/markup.js';
import type { Face, FaceName, Faces, PdfFont } from './fonts.js';
import { normalizeText } from './normalize.js';

export type Rgb = readonly [number, number, number];

export interface TextStyle {
  face: FaceName;
  size: number;
  /** Baseline shift in points (superscript positive). */
  rise?: number;
  color?: Rgb;
  underline?: boolean;
  strike?: boolean;
  /** Extra space after every character, in points (GOST sets «Примечание» spaced out). */
  tracking?: number;
}

export interface Span { text: string; style: TextStyle }

export interface LineRun { text: string; style: TextStyle; width: number }
export interface Line {
  runs: LineRun[];
  /** Natural width, without justification. */
  width: number;
  /** Stretchable spaces (justification). */
  spaces: number;
  /** Left offset from the paragraph's left edge (first-line or hanging indent). */
  indent: number;
  /** Width available to this line. */
  available: number;
  last: boolean;
}

const BOLD: Partial<Record<FaceName, FaceName>> = { serif: 'serifBold', serifItalic: 'serifBoldItalic', sans: 'sansBold' };
const ITALIC: Partial<Record<FaceName, FaceName>> = { serif: 'serifItalic', serifBold: 'serifBoldItalic' };

export function bold(style: TextStyle): TextStyle {
  return { ...style, face: BOLD[style.face] ?? style.face };
}
export function italic(style: TextStyle): TextStyle {
  return { ...style, face: ITALIC[style.face] ?? style.face };
}

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

const sameStyle = (a: TextStyle, b: TextStyle) =>
  a === b || (a.face === b.face && a.size === b.size && a.rise === b.rise && a.color === b.color && !!a.underline === !!b.underline && !!a.strike === !!b.strike && a.tracking === b.tracking);

export class Measurer {
  constructor(readonly faces: Faces) {}
  width(text: string, style: TextStyle): number {
    return (this.faces[style.face].width(text) * style.size) / 1000 + (style.tracking ?? 0) * [...text].length;
  }
}

interface Piece { text: string; style: TextStyle; width: number }
type Token = { space: true; piece: Piece } | { space: false; pieces: Piece[]; width: number };

function tokenize(spans: readonly Span[], m: Measurer): Token[] {
  const tokens: Token[] = [];
  let word: Piece[] = [];
  let wordWidth = 0;
  const endWord = () => {
    if (word.length) tokens.push({ space: false, pieces: word, width: wordWidth });
    word = [];
    wordWidth = 0;
  };
  for (const span of spans) {
    const text = normalizeText(span.text);
    if (!text) continue;
    for (const part of text.split(/( )/)) {
      if (!part) continue;
      if (part === ' ') {
        endWord();
        const last = tokens[tokens.length - 1];
        if (last && !last.space) tokens.push({ space: true, piece: { text: ' ', style: span.style, width: m.width(' ', span.style) } });
        continue;
      }
      const width = m.width(part, span.style);
      word.push({ text: part, style: span.style, width });
      wordWidth += width;
    }
  }
  endWord();
  while (tokens.length && tokens[tokens.length - 1]!.space) tokens.pop();
  return bindDashes(tokens);
}

const text = (t: Token) => (t.space ? ' ' : t.pieces.map((p) => p.text).join(''));

/**
 * Spaces that must not break (they still stretch): before a dash, a unit sign or a per-cent sign, and
 * after ± and №, so that «— по ГОСТ», «25 °C», «± 10» and «№ 12» never come apart at a line end.
 */
function bindDashes(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = out[out.length - 1];
    const next = tokens[i + 1];
    if (t.space && prev && !prev.space && next && !next.space) {
      const before = text(prev);
      const after = text(next);
      // …and between a number and a short unit after it («25 мА», «2026 г.»).
      const unit = /\d$/.test(before) && /^\p{L}{1,3}\.?[,.;:)]?$/u.test(after);
      if (/^[—–°%‰]/.test(after) || /(^±|№)$/.test(before) || unit) {
        prev.pieces.push(t.piece, ...next.pieces);
        prev.width += t.piece.width + next.width;
        i++;
        continue;
      }
    }
    out.push(t);
  }
  return out;
}

export interface BreakOptions {
  /** Width of the column. */
  width: number;
  /** Indent of the first line (may be negative for a hanging label only if `indent` is positive). */
  firstIndent?: number;
  /** Indent of the other lines. */
  indent?: number;
}

/**
 * Greedy line filling: words break at spaces; a word longer than the line (a URL, a 50 000-character
 * string without a space) is cut between characters so that nothing ever runs past the margin.
 */
export function breakLines(spans: readonly Span[], opts: BreakOptions, m: Measurer): Line[] {
  const lines: Line[] = [];
  const first = opts.firstIndent ?? 0;
  const rest = opts.indent ?? 0;
  let runs: Piece[] = [];
  let width = 0;
  let spaces = 0;
  let pendingSpace: Piece | undefined;
  const indent = () => (lines.length === 0 ? first : rest);
  const available = () => Math.max(1, opts.width - indent());
  const finish = () => {
    lines.push({ runs: mergeRuns(runs), width, spaces, indent: indent(), available: available(), last: false });
    runs = [];
    width = 0;
    spaces = 0;
  };
  const placeLongWord = (pieces: Piece[]) => {
    for (const piece of pieces) {
      let chunk = '';
      let chunkWidth = 0;
      for (const ch of piece.text) {
        const w = m.width(ch, piece.style);
        if (width + chunkWidth + w > available() && (width > 0 || chunkWidth > 0)) {
          if (chunk) runs.push({ text: chunk, style: piece.style, width: chunkWidth });
          width += chunkWidth;
          finish();
          chunk = '';
          chunkWidth = 0;
        }
        chunk += ch;
        chunkWidth += w;
      }
      if (chunk) runs.push({ text: chunk, style: piece.style, width: chunkWidth });
      width += chunkWidth;
    }
  };
  for (const token of tokenize(spans, m)) {
    if (token.space) {
      if (runs.length) pendingSpace = token.piece;
      continue;
    }
    const spaceWidth = pendingSpace?.width ?? 0;
    if (runs.length && width + spaceWidth + token.width <= available() + 0.01) {
      if (pendingSpace) { runs.push(pendingSpace); spaces++; }
      runs.push(...token.pieces);
      width += spaceWidth + token.width;
    } else {
      if (runs.length) finish();
      if (token.width <= available() + 0.01) {
        runs.push(...token.pieces);
        width = token.width;
      } else {
        placeLongWord(token.pieces);
      }
    }
    pendingSpace = undefined;
  }
  if (runs.length || lines.length === 0) finish();
  lines[lines.length - 1]!.last = true;
  return lines;
}

function mergeRuns(pieces: Piece[]): LineRun[] {
  const out: LineRun[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (last && sameStyle(last.style, p.style)) {
      last.text += p.text;
      last.width += p.width;
    } else out.push({ text: p.text, style: p.style, width: p.width });
  }
  return out;
}

/** A number as PDF operators want it: at most two decimals, never "-0" or an exponent. */
export function num(n: number): string {
  const r = Math.round(n * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

const rgb = (c: Rgb | undefined) => (c ? `${num(c[0])} ${num(c[1])} ${num(c[2])}` : '0 0 0');

export type Align = 'left' | 'center' | 'right' | 'justify';

/** A string as a PDF text string in hex (UTF-16BE with its byte order mark): nothing in it is an operator. */
function textStringHex(text: string): string {
  let hex = 'FEFF';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
  return `<${hex}>`;
}

/** The operators of one text object: font switches and TJ arrays, glyph strings kept open while they can grow. */
class TextWriter {
  readonly out: string[];
  private font = '';
  private size = -1;
  private tj: string[] = [];
  private hex: string[] = [];

  constructor(first: string[], private readonly used: Set<PdfFont>) {
    this.out = first;
  }

  private closeString(): void {
    if (this.hex.length) this.tj.push(`<${this.hex.join('')}>`);
    this.hex = [];
  }

  /** Ends the TJ array being written. */
  flush(): void {
    this.closeString();
    if (this.tj.length) this.out.push(`[${this.tj.join(' ')}] TJ`);
    this.tj = [];
  }

  /** An operator of its own (colour, rise, marked content): after the text so far. */
  op(s: string): void {
    this.flush();
    this.out.push(s);
  }

  /** Glyphs of the text, switching font wherever the face's chain does. */
  show(text: string, face: Face, size: number): void {
    for (const seg of face.encode(text)) {
      this.used.add(seg.font);
      if (seg.font.id !== this.font || size !== this.size) {
        this.op(`/${seg.font.id} ${num(size)} Tf`);
        this.font = seg.font.id;
        this.size = size;
      }
      this.hex.push(seg.hex);
    }
  }

  /** A TJ adjustment (justification) after the glyphs so far. */
  adjust(n: string): void {
    this.closeString();
    this.tj.push(n);
  }
}

/**
 * Operators that draw one line with its baseline at y (PDFKit's top-down coordinates; the text matrix
 * flips the glyphs upright again). Justified lines stretch their spaces through TJ adjustments, which
 * work with two-byte fonts where the Tw operator does not. A run switches font wherever its characters
 * come from another font of the face's chain (fonts.ts); `used` collects the fonts the line draws with.
 */
export function lineOps(line: Line, x: number, y: number, align: Align, faces: Faces, used: Set<PdfFont>): string {
  const slack = line.available - line.width;
  let extra = 0;
  let start = x + line.indent;
  const spaces = align === 'justify' && !line.last ? line.runs.reduce((n, r) => n + r.text.split(' ').length - 1, 0) : 0;
  if (spaces > 0 && slack > 0) {
    // A line of two long words would open a gulf; past a limit it is better left ragged.
    extra = Math.min(slack / spaces, (line.runs[0]?.style.size ?? 10) * 0.9);
  } else if (align === 'center') start += Math.max(0, slack) / 2;
  else if (align === 'right') start += Math.max(0, slack);

  const w = new TextWriter(['BT', `1 0 0 -1 ${num(start)} ${num(y)} Tm`, '0 0 0 rg'], used);
  const decorations: string[] = [];
  let color = '0 0 0';
  let rise = 0;
  let tracking = 0;
  let cursor = start;
  for (const run of line.runs) {
    const f = faces[run.style.face];
    const size = run.style.size;
    const c = rgb(run.style.color);
    if (c !== color) { w.op(`${c} rg`); color = c; }
    const r = run.style.rise ?? 0;
    if (r !== rise) { w.op(`${num(r)} Ts`); rise = r; }
    const t = run.style.tracking ?? 0;
    if (t !== tracking) { w.op(`${num(t)} Tc`); tracking = t; }
    const adjust = extra > 0 && run.text.includes(' ') ? num((-extra * 1000) / size) : undefined;
    // Words spaced out (разрядка, «П р и м е ч а н и е»: a tenth of the em or more between letters) say
    // what they are, so that search and copy find the word whole and not letters with gaps between them.
    const spaced = t >= size * 0.1 && /\p{L}/u.test(run.text);
    let spacesHere = 0;
    if (adjust === undefined && !spaced) w.show(run.text, f, size);
    else {
      const parts = run.text.split(' ');
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i]!;
        const last = i === parts.length - 1;
        if (spaced && /\p{L}/u.test(part)) {
          w.op(`/Span <</ActualText ${textStringHex(part)}>> BDC`);
          w.show(part, f, size);
          w.op('EMC');
          if (!last) w.show(' ', f, size);
        } else w.show(last ? part : `${part} `, f, size);
        if (!last && adjust !== undefined) {
          w.adjust(adjust);
          spacesHere++;
        }
      }
    }
    w.flush();
    const width = run.width + spacesHere * extra;
    if (run.style.underline || run.style.strike) {
      const thick = Math.max(0.5, size * 0.06);
      const lineY = run.style.underline ? y - r + size * 0.14 : y - r - size * 0.28;
      decorations.push(`${c} RG ${num(thick)} w ${num(cursor)} ${num(lineY)} m ${num(cursor + width)} ${num(lineY)} l S`);
    }
    cursor += width;
  }
  // Text state outlives BT/ET: leave it as the next line expects to find it.
  if (rise !== 0) w.op('0 Ts');
  if (tracking !== 0) w.op('0 Tc');
  w.op('ET');
  const out = w.out;
  if (decorations.length) out.push('q', ...decorations, 'Q');
  return out.join('\n');
}
