// Styled text and its measure: the styles a run of text is set in, the spans the layout takes, and the
// widths the fonts give them (text.ts is the text layer's public face).
import type { FaceName, Faces } from './fonts.js';

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

export type Align = 'left' | 'center' | 'right' | 'justify';

const BOLD: Partial<Record<FaceName, FaceName>> = { serif: 'serifBold', serifItalic: 'serifBoldItalic', sans: 'sansBold' };
const ITALIC: Partial<Record<FaceName, FaceName>> = { serif: 'serifItalic', serifBold: 'serifBoldItalic' };

export function bold(style: TextStyle): TextStyle {
  return { ...style, face: BOLD[style.face] ?? style.face };
}
export function italic(style: TextStyle): TextStyle {
  return { ...style, face: ITALIC[style.face] ?? style.face };
}

export const sameStyle = (a: TextStyle, b: TextStyle) =>
  a === b || (a.face === b.face && a.size === b.size && a.rise === b.rise && a.color === b.color && !!a.underline === !!b.underline && !!a.strike === !!b.strike && a.tracking === b.tracking);

export class Measurer {
  constructor(readonly faces: Faces) {}
  width(text: string, style: TextStyle): number {
    return (this.faces[style.face].width(text) * style.size) / 1000 + (style.tracking ?? 0) * [...text].length;
  }
}

/** A number as PDF operators want it: at most two decimals, never "-0" or an exponent. */
export function num(n: number): string {
  const r = Math.round(n * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}
