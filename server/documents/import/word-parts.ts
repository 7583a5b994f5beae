// What mammoth does not give: the numbers Word keeps in list definitions (word/numbering.xml, through a
// paragraph's own w:numPr or its style's), and what the draft holds that has no place in Accord's clauses
// (images, formulas, footnotes, comments, tracked changes). Read with saxes from word/document.xml,
// word/styles.xml and word/numbering.xml; one entry per paragraph, in the order mammoth visits them
// (a paragraph is recorded when it closes, so a text box's paragraphs come before the one holding them).
import { readXml } from '../../common/office/xml.js';

const PREFIX = 'draftImport';

interface Level { start: number; format: string; text: string; style?: string }
interface Numbering {
  abstract: Map<string, Map<number, Level>>;
  nums: Map<string, { abstractId: string; overrides: Map<number, number> }>;
}
interface Style { basedOn?: string; numId?: string; ilvl?: number }

/** What one paragraph of the draft carries besides its text. */
export interface ParagraphFacts {
  /** Its text as Word shows it (for matching with mammoth's paragraph): runs, tabs, breaks. */
  text: string;
  /** The number Word's list gives it: «4.1.2», «А.1» (an outline number) or «1)», «а)», «•» (a list item). */
  label?: string;
  /** The label is a clause number (digits and dots, or an annex letter and digits), not an enumeration. */
  outline?: boolean;
  images: number;
  formulas: number;
  footnotes: number;
  comments: number;
  textBoxes: number;
}

export interface WordFacts {
  paragraphs: ParagraphFacts[];
  /** Insertions, deletions and moves Word tracks (formatting changes are not counted: they change no text). */
  trackedChanges: number;
}

function readNumbering(xml: string | undefined): Numbering {
  const out: Numbering = { abstract: new Map(), nums: new Map() };
  if (!xml) return out;
  let abstract: Map<number, Level> | undefined;
  let level: { ilvl: number; l: Level } | undefined;
  let num: { abstractId: string; overrides: Map<number, number> } | undefined;
  let override: number | undefined;
  readXml(xml, {
    open: (name, a) => {
      if (name === 'abstractNum') out.abstract.set(a.abstractNumId ?? '', (abstract = new Map()));
      else if (name === 'lvl' && abstract) level = { ilvl: Number(a.ilvl ?? 0), l: { start: 1, format: 'decimal', text: '' } };
      else if (level && name === 'start') level.l.start = Number(a.val ?? 1);
      else if (level && name === 'numFmt') level.l.format = a.val ?? 'decimal';
      else if (level && name === 'lvlText') level.l.text = a.val ?? '';
      else if (level && name === 'pStyle') level.l.style = a.val;
      else if (name === 'num') {
        num = { abstractId: '', overrides: new Map() };
        out.nums.set(a.numId ?? '', num);
      } else if (num && name === 'abstractNumId') num.abstractId = a.val ?? '';
      else if (num && name === 'lvlOverride') override = Number(a.ilvl ?? 0);
      else if (num && override !== undefined && name === 'startOverride') num.overrides.set(override, Number(a.val ?? 1));
    },
    close: (name) => {
      if (name === 'lvl' && level && abstract) {
        abstract.set(level.ilvl, level.l);
        level = undefined;
      } else if (name === 'abstractNum') abstract = undefined;
      else if (name === 'num') num = undefined;
      else if (name === 'lvlOverride') override = undefined;
    },
    text: () => {},
  }, PREFIX);
  return out;
}

function readStyles(xml: string | undefined): Map<string, Style> {
  const styles = new Map<string, Style>();
  if (!xml) return styles;
  let style: Style | undefined;
  let inPPr = false;
  readXml(xml, {
    open: (name, a) => {
      if (name === 'style' && a.type === 'paragraph') styles.set(a.styleId ?? '', (style = {}));
      else if (style && name === 'basedOn') style.basedOn = a.val;
      else if (style && name === 'pPr') inPPr = true;
      else if (style && inPPr && name === 'numId') style.numId = a.val;
      else if (style && inPPr && name === 'ilvl') style.ilvl = Number(a.val ?? 0);
    },
    close: (name) => {
      if (name === 'style') style = undefined;
      else if (name === 'pPr') inPPr = false;
    },
    text: () => {},
  }, PREFIX);
  return styles;
}

const RUSSIAN_UPPER = 'АБВГДЕЖЗИКЛМНПРСТУФХЦЧШЩЭЮЯ';
const RUSSIAN_LOWER = RUSSIAN_UPPER.toLowerCase();

/** A counter in a level's number format (the formats a draft's headings and enumerations use). */
function formatNumber(n: number, format: string): string {
  const letter = (alphabet: string) => alphabet[(n - 1) % alphabet.length]!.repeat(Math.floor((n - 1) / alphabet.length) + 1);
  switch (format) {
    case 'upperLetter': return letter('ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    case 'lowerLetter': return letter('abcdefghijklmnopqrstuvwxyz');
    case 'russianUpper': return letter(RUSSIAN_UPPER);
    case 'russianLower': return letter(RUSSIAN_LOWER);
    case 'upperRoman': case 'lowerRoman': {
      const romans: [number, string][] = [[1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'], [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
      let left = n;
      let s = '';
      for (const [v, r] of romans) while (left >= v) { s += r; left -= v; }
      return format === 'lowerRoman' ? s.toLowerCase() : s;
    }
    default: return String(n);
  }
}

/** An outline number: «4», «4.1.2», «А.1» (a trailing dot allowed), as GOST 1.5 numbers clauses. */
export const OUTLINE_NUMBER = /^(?:\d+(?:\.\d+)*|[А-ЯЁA-Z](?:\.\d+)+)\.?$/u;

/** Counts Word's lists as Word does: one counter per level of each abstract list, deeper levels restarting. */
function listCounter(numbering: Numbering, styles: Map<string, Style>) {
  const counters = new Map<string, (number | undefined)[]>();
  const overridden = new Set<string>();
  const styleNumbering = (styleId: string | undefined): { numId?: string; ilvl?: number } => {
    for (let id = styleId, hops = 0; id && hops < 20; hops++) {
      const s = styles.get(id);
      if (!s) break;
      if (s.numId !== undefined) return { numId: s.numId, ilvl: s.ilvl };
      id = s.basedOn;
    }
    return {};
  };
  return (direct: { numId?: string; ilvl?: number }, styleId: string | undefined): { label: string; outline: boolean } | undefined => {
    const fromStyle = styleNumbering(styleId);
    const numId = direct.numId ?? fromStyle.numId;
    if (!numId || numId === '0') return undefined;
    const num = numbering.nums.get(numId);
    const levels = num && numbering.abstract.get(num.abstractId);
    if (!num || !levels) return undefined;
    // A style linked to a level names it by pStyle; otherwise the level given, or the first.
    let ilvl = direct.ilvl ?? fromStyle.ilvl;
    if (ilvl === undefined) ilvl = [...levels].find(([, l]) => l.style && l.style === styleId)?.[0] ?? 0;
    const level = levels.get(ilvl);
    if (!level) return undefined;
    const counts = counters.get(num.abstractId) ?? [];
    counters.set(num.abstractId, counts);
    const override = num.overrides.get(ilvl);
    if (override !== undefined && !overridden.has(`${numId}:${ilvl}`)) {
      overridden.add(`${numId}:${ilvl}`);
      counts[ilvl] = override - 1;
    }
    counts[ilvl] = (counts[ilvl] ?? level.start - 1) + 1;
    counts.length = ilvl + 1;
    if (level.format === 'bullet' || level.format === 'none') return { label: level.format === 'bullet' ? '•' : '', outline: false };
    const label = level.text.replace(/%(\d)/g, (_m, d: string) => {
      const k = Number(d) - 1;
      const l = levels.get(k);
      return formatNumber(counts[k] ?? l?.start ?? 1, l?.format ?? 'decimal');
    }).trim();
    return { label, outline: OUTLINE_NUMBER.test(label) };
  };
}

const TRACKED = new Set(['ins', 'del', 'moveFrom', 'moveTo']);

/** The paragraphs' numbers and dropped parts, and the tracked changes, of a draft's parts (word/*.xml). */
export function readWordFacts(parts: Map<string, Buffer>, main = parts.get('word/document.xml')): WordFacts {
  const xml = (name: string) => parts.get(name)?.toString('utf8');
  const count = listCounter(readNumbering(xml('word/numbering.xml')), readStyles(xml('word/styles.xml')));
  const paragraphs: ParagraphFacts[] = [];
  type Open = ParagraphFacts & { styleId?: string; numId?: string; ilvl?: number; inPPr: boolean; pPrDepth: number };
  const open: Open[] = [];
  let trackedChanges = 0;
  let inText = false;
  let depth = 0;
  let math = 0;
  readXml(main?.toString('utf8') ?? '', {
    open: (name, a) => {
      depth++;
      const p = open[open.length - 1];
      if (name === 'p') open.push({ text: '', images: 0, formulas: 0, footnotes: 0, comments: 0, textBoxes: 0, inPPr: false, pPrDepth: 0 });
      else if (TRACKED.has(name)) trackedChanges++;
      else if (!p) return;
      else if (name === 'pPr' && !p.inPPr) { p.inPPr = true; p.pPrDepth = depth; }
      else if (p.inPPr && name === 'pStyle') p.styleId = a.val;
      else if (p.inPPr && name === 'numId') p.numId = a.val;
      else if (p.inPPr && name === 'ilvl') p.ilvl = Number(a.val ?? 0);
      else if (name === 't' && !math) inText = true;
      else if (name === 'tab' && !p.inPPr) p.text += '\t';
      else if (name === 'br' || name === 'cr') p.text += '\n';
      else if (name === 'drawing' || name === 'pict' || name === 'object') p.images++;
      else if (name === 'oMath') { p.formulas++; math++; }
      else if (name === 'footnoteReference' || name === 'endnoteReference') p.footnotes++;
      else if (name === 'commentReference') p.comments++;
      else if (name === 'txbxContent') p.textBoxes++;
    },
    close: (name) => {
      const p = open[open.length - 1];
      if (p && name === 'pPr' && p.inPPr && depth === p.pPrDepth) p.inPPr = false;
      if (name === 't') inText = false;
      if (name === 'oMath') math--;
      if (name === 'p' && p) {
        open.pop();
        const numbered = count({ numId: p.numId, ilvl: p.ilvl }, p.styleId);
        paragraphs.push({ text: p.text, images: p.images, formulas: p.formulas, footnotes: p.footnotes, comments: p.comments, textBoxes: p.textBoxes, ...(numbered ? { label: numbered.label, outline: numbered.outline } : {}) });
      }
      depth--;
    },
    text: (t) => {
      const p = open[open.length - 1];
      if (p && inText) p.text += t;
    },
  }, PREFIX);
  return { paragraphs, trackedChanges };
}
