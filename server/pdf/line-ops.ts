// A laid-out line → PDF text operators. User text only ever becomes glyphs: it is encoded glyph by glyph
// into hex strings, so nothing in it can reach the content stream as an operator.
import type { Face, Faces, PdfFont } from './fonts.js';
import type { Line, LineRun } from './line-break.js';
import { num, type Align, type Rgb } from './text-style.js';

const rgb = (c: Rgb | undefined) => (c ? `${num(c[0])} ${num(c[1])} ${num(c[2])}` : '0 0 0');

/** A string as a PDF text string in hex (UTF-16BE with its byte order mark): nothing in it is an operator. */
export function textStringHex(text: string): string {
  let hex = 'FEFF';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
  return `<${hex}>`;
}

/**
 * The operators of one text object: font switches and TJ arrays, glyph strings kept open while they can
 * grow, and the text state (colour, rise, tracking) switched only where it changes.
 */
class TextWriter {
  readonly out: string[];
  private font = '';
  private size = -1;
  private tj: string[] = [];
  private hex: string[] = [];
  private color = '0 0 0';
  private rise = 0;
  private tracking = 0;

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

  /** Sets the fill colour (as `rgb` writes it), baseline rise and tracking of what follows. */
  state(color: string, rise: number, tracking: number): void {
    if (color !== this.color) { this.op(`${color} rg`); this.color = color; }
    if (rise !== this.rise) { this.op(`${num(rise)} Ts`); this.rise = rise; }
    if (tracking !== this.tracking) { this.op(`${num(tracking)} Tc`); this.tracking = tracking; }
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

  /** Ends the text object. Text state outlives BT/ET: it is left as the next line expects to find it. */
  end(): string[] {
    if (this.rise !== 0) this.op('0 Ts');
    if (this.tracking !== 0) this.op('0 Tc');
    this.op('ET');
    return this.out;
  }
}

/** Where the line starts, and the extra width of each of its spaces when it is justified. */
function placement(line: Line, x: number, align: Align): { start: number; extra: number } {
  const slack = line.available - line.width;
  let extra = 0;
  let start = x + line.indent;
  const spaces = align === 'justify' && !line.last ? line.runs.reduce((n, r) => n + r.text.split(' ').length - 1, 0) : 0;
  if (spaces > 0 && slack > 0) {
    // A line of two long words would open a gulf; past a limit it is better left ragged.
    extra = Math.min(slack / spaces, (line.runs[0]?.style.size ?? 10) * 0.9);
  } else if (align === 'center') start += Math.max(0, slack) / 2;
  else if (align === 'right') start += Math.max(0, slack);
  return { start, extra };
}

/** The glyphs of one run, its spaces stretched by `extra`; returns how many spaces were stretched. */
function showRun(w: TextWriter, run: LineRun, f: Face, extra: number): number {
  const size = run.style.size;
  const t = run.style.tracking ?? 0;
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
  return spacesHere;
}

/** The underline or strike-through of a run drawn from x over `width`, if it has one. */
function runDecoration(run: LineRun, color: string, x: number, y: number, width: number): string | undefined {
  if (!run.style.underline && !run.style.strike) return undefined;
  const size = run.style.size;
  const r = run.style.rise ?? 0;
  const thick = Math.max(0.5, size * 0.06);
  const lineY = run.style.underline ? y - r + size * 0.14 : y - r - size * 0.28;
  return `${color} RG ${num(thick)} w ${num(x)} ${num(lineY)} m ${num(x + width)} ${num(lineY)} l S`;
}

/**
 * Operators that draw one line with its baseline at y (PDFKit's top-down coordinates; the text matrix
 * flips the glyphs upright again). Justified lines stretch their spaces through TJ adjustments, which
 * work with two-byte fonts where the Tw operator does not. A run switches font wherever its characters
 * come from another font of the face's chain (fonts.ts); `used` collects the fonts the line draws with.
 */
export function lineOps(line: Line, x: number, y: number, align: Align, faces: Faces, used: Set<PdfFont>): string {
  const { start, extra } = placement(line, x, align);
  const w = new TextWriter(['BT', `1 0 0 -1 ${num(start)} ${num(y)} Tm`, '0 0 0 rg'], used);
  const decorations: string[] = [];
  let cursor = start;
  for (const run of line.runs) {
    const c = rgb(run.style.color);
    w.state(c, run.style.rise ?? 0, run.style.tracking ?? 0);
    const width = run.width + showRun(w, run, faces[run.style.face], extra) * extra;
    const decoration = runDecoration(run, c, cursor, y, width);
    if (decoration) decorations.push(decoration);
    cursor += width;
  }
  const out = w.end();
  if (decorations.length) out.push('q', ...decorations, 'Q');
  return out.join('\n');
}
