// Which characters Accord can print. Every face of the PDFs is a chain of fonts: the PT face first, then
// Noto of the same style (Greek, primes, ℃, super- and subscripts), then Noto Sans Math (⌀ ∅ ≡ ⊥ ∠ arrows…);
// a character takes the first font of the chain that has it (templates/pdf/fonts/README.md). A character
// that no font has would print as an empty box, so a text that contains one is not circulated or
// published: this module finds such characters and names the clause they are in.
import * as fontkit from 'fontkit';
import type { Clause } from '../text/clauses.js';
import type { Inline, Block } from '../text/markup.js';
import { NumberingError, numberClauses, type Label } from '../text/numbering.js';
import { InvalidInput } from '../errors.js';
import { loadPdfAssets } from './assets.js';
import type { PdfClause, StandardPdfView } from './standard-view.js';
import { FACE_FONTS, FACE_NAMES, FONT_NAMES, type FaceName, type FontFiles, type FontName } from './faces.js';
import { normalizeText } from './normalize.js';

/**
 * What committee texts use and every face must print: Russian and Belarusian letters, Greek, the signs of
 * technical and mathematical text, Unicode super- and subscripts. The PDF tests print all of it.
 */
export const COMMITTEE_REPERTOIRE: string = [
  'АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя', 'ІіЎўʼ’',
  'ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩαβγδεζηθικλμνξοπρςστυφχψωϑϕϵ',
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  '±∓×÷·⋅∙−≤≥≈≠≡≅∼∝≪≫∞°℃℉µΩ′″‴‰‱∅⌀√∛∑∏∫∂∆∇∈∉⊂⊃∩∪∧∨¬∀∃→←↑↓↔⇒⇔⊥∠∡∥⊕⊗Å',
  '\u00b5\u03bc\u2126\u03a9', // micro sign and Greek mu, ohm sign and Greek omega
  '⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓ', '¼½¾⅓⅔',
  '«»„“”‘’‚"\'–—‐…№§©®™•/\\|()[]{}<>=+-*&%$#@!?.,:;_~^`',
].join('');

/** A character none of the fonts has: the character and its code point as «U+03B2». */
export interface MissingChar { char: string; codePoint: string }

export const codePointOf = (cp: number): string => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/** The glyph coverage of a set of font files, parsed once; answers per code point are kept. */
export class GlyphCoverage {
  private readonly fonts: Record<FontName, fontkit.Font>;
  /** Per code point, for each face, the index in its chain of the font that prints it (-1: none). */
  private readonly choices = new Map<number, Int8Array>();

  constructor(files: FontFiles) {
    this.fonts = {} as Record<FontName, fontkit.Font>;
    for (const name of FONT_NAMES) this.fonts[name] = fontkit.create(files[name]);
  }

  private choice(cp: number): Int8Array {
    let c = this.choices.get(cp);
    if (c) return c;
    c = new Int8Array(FACE_NAMES.length);
    FACE_NAMES.forEach((face, i) => {
      c![i] = FACE_FONTS[face].findIndex((f) => this.fonts[f].hasGlyphForCodePoint(cp));
    });
    this.choices.set(cp, c);
    return c;
  }

  /** The index in the face's chain of the font that prints the code point, or -1 when none has it. */
  fontIndex(face: FaceName, cp: number): number {
    return this.choice(cp)[FACE_NAMES.indexOf(face)]!;
  }

  /** Per code point of the Basic Multilingual Plane: 0 not asked yet, 1 printable, 2 not (a 100-page text is checked in milliseconds). */
  private readonly bmp = new Uint8Array(0x10000);

  /** Printed in every face (a clause's text may be set in any of them). */
  printable(cp: number): boolean {
    if (cp < 0x10000) {
      const known = this.bmp[cp]!;
      if (known) return known === 1;
      const yes = this.choice(cp).every((i) => i >= 0);
      this.bmp[cp] = yes ? 1 : 2;
      return yes;
    }
    return this.choice(cp).every((i) => i >= 0);
  }

  /** The characters of the text that would not print, each once, in order of appearance. */
  missing(text: string): MissingChar[] {
    let out: MissingChar[] | undefined;
    // What is never printed (control characters) or printed as a space is not asked about.
    const printed = normalizeText(text);
    for (let i = 0; i < printed.length; i++) {
      let cp = printed.charCodeAt(i);
      if (cp >= 0xd800 && cp < 0xdc00 && i + 1 < printed.length) {
        cp = printed.codePointAt(i)!;
        if (cp > 0xffff) i++;
      }
      if (cp === 0x20 || this.printable(cp)) continue;
      out ??= [];
      if (!out.some((m) => m.char === String.fromCodePoint(cp))) out.push({ char: String.fromCodePoint(cp), codePoint: codePointOf(cp) });
    }
    return out ?? [];
  }
}

const coverages = new WeakMap<FontFiles, GlyphCoverage>();

/** The coverage of the fonts every PDF of Accord embeds (assets.ts). */
export function committeeCoverage(): GlyphCoverage {
  return glyphCoverage(loadPdfAssets().fonts);
}

/** The coverage of these font files (parsed on first use, then shared by every render and check). */
export function glyphCoverage(files: FontFiles): GlyphCoverage {
  let c = coverages.get(files);
  if (!c) {
    c = new GlyphCoverage(files);
    coverages.set(files, c);
  }
  return c;
}

// ---- what a standard prints -------------------------------------------------------------------------

/** Where a text is, as a person names it in either language: «Пункт 4.2» / «Clause 4.2», «Наименование». */
export interface Place { ru: string; en: string; clauseKey?: string }

export interface Unprintable extends MissingChar { place: Place }

/** «Пункт 4.2», but a label that names itself stays as it is («Примечание 2», «Таблица 1», «[1]»). */
function clausePlace(c: Pick<PdfClause, 'key' | 'label' | 'heading'> & { reference?: { designation: string }; term?: { ru: string } }, labelEn: string | undefined): Place {
  const numbered = (l: string) => /^\d/.test(l);
  const name = c.label ?? c.heading ?? c.reference?.designation ?? c.term?.ru ?? c.key;
  const en = labelEn ?? name;
  return {
    ru: c.label && numbered(c.label) ? `Пункт ${c.label}` : c.label ? name : `Пункт «${name}»`,
    en: labelEn && numbered(labelEn) ? `Clause ${labelEn}` : labelEn ? en : `Clause «${name}»`,
    clauseKey: c.key,
  };
}

function inlineText(nodes: readonly Inline[], refs: Record<string, string>, out: string[]): void {
  for (const n of nodes) {
    if (n.type === 'text') out.push(n.text);
    else if (n.type === 'ref') out.push(refs[n.key] ?? '[?]');
    else inlineText(n.children, refs, out);
  }
}

function blocksText(blocks: readonly Block[], refs: Record<string, string>, out: string[]): void {
  for (const b of blocks) {
    if (b.type === 'paragraph') inlineText(b.content, refs, out);
    else for (const item of b.items) inlineText(item, refs, out);
  }
}

/** Every string the PDF prints for a clause. */
function clauseTexts(c: PdfClause, refs: Record<string, string>): string[] {
  const out: string[] = [];
  for (const s of [c.label, c.annexStatus, c.heading]) if (s) out.push(s);
  if (c.blocks) blocksText(c.blocks, refs, out);
  if (c.requirement) {
    out.push(c.requirement.parameter, c.requirement.method ?? '');
    inlineText(c.requirement.value, refs, out);
  }
  if (c.table) {
    if (c.table.caption) inlineText(c.table.caption, refs, out);
    for (const h of c.table.header) inlineText(h, refs, out);
    for (const row of c.table.rows) for (const cell of row) inlineText(cell, refs, out);
  }
  if (c.term) {
    out.push(c.term.ru, c.term.en ?? '');
    inlineText(c.term.definition, refs, out);
  }
  if (c.reference) out.push(c.reference.designation, c.reference.title);
  return out;
}

function collect(clauses: readonly PdfClause[], refs: Record<string, string>, en: (key: string) => string | undefined, coverage: GlyphCoverage, out: Unprintable[]): void {
  for (const c of clauses) {
    const missing = coverage.missing(clauseTexts(c, refs).join(' '));
    if (missing.length) {
      const place = clausePlace(c, en(c.key));
      for (const m of missing) out.push({ ...m, place });
    }
  }
}

/** Texts of a document outside its clauses that its PDFs print. */
export interface DocumentTexts {
  titles: { ru: string; en: string };
  developer?: string;
  ics?: string;
  keywords?: readonly string[];
}

function documentTexts(d: DocumentTexts): [Place, string][] {
  return [
    [{ ru: 'Наименование документа', en: 'Title of the document (Russian)' }, d.titles.ru],
    [{ ru: 'Наименование документа на английском языке', en: 'Title of the document (English)' }, d.titles.en],
    [{ ru: 'Разработчик', en: 'Developer' }, d.developer ?? ''],
    [{ ru: 'Код МКС', en: 'ICS code' }, d.ics ?? ''],
    [{ ru: 'Ключевые слова', en: 'Keywords' }, (d.keywords ?? []).join(' ')],
  ];
}

function collectTexts(texts: [Place, string][], coverage: GlyphCoverage, out: Unprintable[]): void {
  for (const [place, text] of texts) for (const m of coverage.missing(text)) out.push({ ...m, place });
}

/** A clause's own texts as typed: markup syntax is ASCII, and what it adds (numbers, ±, «от … до») prints. */
function typedTexts(c: Clause): string[] {
  const out: string[] = [c.heading ?? '', c.body ?? ''];
  if (c.requirement) out.push(c.requirement.parameter, c.requirement.value ?? '', c.requirement.unit ?? '');
  if (c.table) out.push(c.table.caption ?? '', ...c.table.header, ...c.table.rows.flat());
  if (c.term) out.push(c.term.ru, c.term.en ?? '', c.term.definition);
  if (c.reference) out.push(c.reference.designation, c.reference.title);
  return out;
}

/**
 * The characters of a revision (and of the document's own texts, when given) that no font prints, with
 * the clause each is in. Reads the texts as typed (no markup parsing: a 100-page revision takes a few
 * milliseconds). Never throws: a revision whose numbering fails is named by its headings.
 */
export function unprintableInRevision(clauses: readonly Clause[], coverage: GlyphCoverage, doc?: DocumentTexts): Unprintable[] {
  const out: Unprintable[] = [];
  if (doc) collectTexts(documentTexts(doc), coverage, out);
  let labels: Map<string, Label> | undefined;
  for (const c of clauses) {
    const missing = coverage.missing(typedTexts(c).join(' '));
    if (!missing.length) continue;
    if (!labels) {
      try {
        labels = numberClauses(clauses);
      } catch (err) {
        if (!(err instanceof NumberingError)) throw err;
        labels = new Map();
      }
    }
    const label = labels.get(c.key);
    const place = clausePlace({ key: c.key, label: label?.text.ru, heading: c.heading, reference: c.reference, term: c.term }, label?.text.en);
    for (const m of missing) out.push({ ...m, place });
  }
  return out;
}

/** Everything a standard's PDF prints: its clauses and every fact of the cover and the foreword. */
export function unprintableInView(view: StandardPdfView, coverage: GlyphCoverage): Unprintable[] {
  const out: Unprintable[] = [];
  collectTexts(documentTexts(view), coverage, out);
  const cover = { ru: 'Титульный лист и предисловие', en: 'Cover and foreword' };
  collectTexts([[cover, [view.committee, view.designation, view.adoption, view.revisionDate, view.publicationDate].filter(Boolean).join(' ')]], coverage, out);
  for (const v of view.votes ?? []) collectTexts([[cover, `${v.country} ${v.code} ${v.body ?? ''} ${v.date ?? ''}`]], coverage, out);
  for (const e of view.entryIntoForce ?? []) collectTexts([[cover, `${e.country} ${e.date}`]], coverage, out);
  collect(view.clauses, view.refs, () => undefined, coverage, out);
  return out;
}

/**
 * The refusal to circulate or publish a text with a character that no font prints: 422, naming the first
 * such character and where it is («Пункт 4.2: символ «😀» (U+1F600)…»); `details` lists all of them.
 */
export class UnprintableText extends InvalidInput {
  constructor(readonly found: readonly Unprintable[]) {
    const first = found[0]!;
    super('pdf.unprintable', { placeRu: first.place.ru, placeEn: first.place.en, char: first.char, code: first.codePoint, count: found.length });
  }
}

/** Throws UnprintableText when anything was found. */
export function assertPrintable(found: readonly Unprintable[]): void {
  if (found.length) throw new UnprintableText(found);
}
