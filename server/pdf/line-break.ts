// Spans → lines: the text is normalised (control characters dropped, whitespace collapsed), cut into
// words, and the words filled greedily into lines of the column's width.
import { normalizeText } from './normalize.js';
import { sameStyle, type Measurer, type Span, type TextStyle } from './text-style.js';

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
  const filler = new LineFiller(opts, m);
  for (const token of tokenize(spans, m)) filler.add(token);
  return filler.end();
}

/** The lines so far and the one being filled. */
class LineFiller {
  private readonly lines: Line[] = [];
  private runs: Piece[] = [];
  private width = 0;
  private spaces = 0;
  private pendingSpace: Piece | undefined;

  constructor(private readonly opts: BreakOptions, private readonly m: Measurer) {}

  private indent(): number {
    return this.lines.length === 0 ? (this.opts.firstIndent ?? 0) : (this.opts.indent ?? 0);
  }

  private available(): number {
    return Math.max(1, this.opts.width - this.indent());
  }

  /** Ends the line being filled. */
  private finish(): void {
    this.lines.push({ runs: mergeRuns(this.runs), width: this.width, spaces: this.spaces, indent: this.indent(), available: this.available(), last: false });
    this.runs = [];
    this.width = 0;
    this.spaces = 0;
  }

  add(token: Token): void {
    if (token.space) {
      if (this.runs.length) this.pendingSpace = token.piece;
      return;
    }
    const spaceWidth = this.pendingSpace?.width ?? 0;
    if (this.runs.length && this.width + spaceWidth + token.width <= this.available() + 0.01) {
      if (this.pendingSpace) { this.runs.push(this.pendingSpace); this.spaces++; }
      this.runs.push(...token.pieces);
      this.width += spaceWidth + token.width;
    } else {
      if (this.runs.length) this.finish();
      if (token.width <= this.available() + 0.01) {
        this.runs.push(...token.pieces);
        this.width = token.width;
      } else {
        this.placeLongWord(token.pieces);
      }
    }
    this.pendingSpace = undefined;
  }

  /** A word wider than the line, cut between characters. */
  private placeLongWord(pieces: Piece[]): void {
    for (const piece of pieces) {
      let chunk = '';
      let chunkWidth = 0;
      for (const ch of piece.text) {
        const w = this.m.width(ch, piece.style);
        if (this.width + chunkWidth + w > this.available() && (this.width > 0 || chunkWidth > 0)) {
          if (chunk) this.runs.push({ text: chunk, style: piece.style, width: chunkWidth });
          this.width += chunkWidth;
          this.finish();
          chunk = '';
          chunkWidth = 0;
        }
        chunk += ch;
        chunkWidth += w;
      }
      if (chunk) this.runs.push({ text: chunk, style: piece.style, width: chunkWidth });
      this.width += chunkWidth;
    }
  }

  end(): Line[] {
    if (this.runs.length || this.lines.length === 0) this.finish();
    this.lines[this.lines.length - 1]!.last = true;
    return this.lines;
  }
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
