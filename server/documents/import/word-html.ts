// A draft's text through mammoth: Word's styles mapped to structure (headings, captions, list paragraphs,
// the title) by a style map, then the HTML read back into blocks — paragraphs with their tag and the number
// Word's list gives them (word-parts.ts), and tables as rows of cells. Each paragraph is marked with a
// bookmark before it is turned into HTML, so that the numbers computed from numbering.xml find their
// paragraphs again. Footnote and comment marks are removed (their texts are dropped), images are not
// inlined. mammoth inflates the package itself, with jszip: it is handed only a package that has already
// been inflated whole under the limits (server/common/office/package.ts).
import mammoth from 'mammoth';
import { readXml } from '../../common/office/xml.js';
import type { ParagraphFacts } from './word-parts.js';

/** Word's style names (English and as Russian Word and LibreOffice name them) and what they become. */
export const STYLE_MAP = [
  ...[1, 2, 3, 4].flatMap((n) => [`p[style-name='heading ${n}'] => h${n}:fresh`, `p[style-name='Heading ${n}'] => h${n}:fresh`, `p[style-name='Заголовок ${n}'] => h${n}:fresh`]),
  "p[style-name='Title'] => h1.title:fresh", "p[style-name='Название'] => h1.title:fresh", "p[style-name='Заголовок'] => h1.title:fresh",
  "p[style-name='Caption'] => p.caption:fresh", "p[style-name='caption'] => p.caption:fresh", "p[style-name='Название объекта'] => p.caption:fresh", "p[style-name='Подпись'] => p.caption:fresh",
  "p[style-name='List Paragraph'] => p.list:fresh", "p[style-name='Абзац списка'] => p.list:fresh",
  "p[style-name='List Bullet'] => p.list:fresh", "p[style-name='List Number'] => p.list:fresh", "p[style-name='Маркированный список'] => p.list:fresh", "p[style-name='Нумерованный список'] => p.list:fresh",
];

export interface ParagraphBlock {
  type: 'paragraph';
  /** h1–h4 for a heading style, p otherwise. */
  tag: string;
  /** title, caption or list: the style map's class. */
  cls: string;
  /** The text in Accord's markup (bold and italics kept; line breaks as line feeds). */
  text: string;
  /** The same text without markup: what the structure is recognised by. */
  plain: string;
  facts?: ParagraphFacts;
}
export interface TableBlock { type: 'table'; rows: string[][]; images: number }
export type Block = ParagraphBlock | TableBlock;

const MARK = 'accord-p-';
const squeeze = (s: string) => s.replace(/\s+/g, '');
const tidy = (s: string) => s.replace(/[ \t]+\n/g, '\n').trim();

/** The text of a paragraph in mammoth's document, as word-parts.ts reads it. */
function textOf(el: { type: string; value?: string; children?: unknown[] }): string {
  if (el.type === 'text') return el.value ?? '';
  if (el.type === 'paragraph' && (el as { _nested?: boolean })._nested) return '';
  return (el.children ?? []).map((c) => textOf(c as typeof el)).join('');
}

/**
 * Marks each of mammoth's paragraphs with the index of its facts: the next one whose text is the same
 * (spaces aside), looked for a little ahead, so that a paragraph one of them skips does not shift the rest.
 */
function marker(facts: readonly ParagraphFacts[]) {
  let next = 0;
  const visit = (el: { type: string; children?: unknown[] }): { type: string; children?: unknown[] } => {
    const children = (el.children ?? [])
      .filter((c) => !['noteReference', 'commentReference', 'comment'].includes((c as { type: string }).type))
      .map((c) => visit(c as { type: string; children?: unknown[] }));
    const out = el.children ? { ...el, children } : el;
    if (el.type !== 'paragraph') return out;
    const text = squeeze(textOf(out as never));
    for (let k = next; k < Math.min(facts.length, next + 40); k++) {
      if (squeeze(facts[k]!.text) === text) {
        next = k + 1;
        return { ...out, children: [{ type: 'bookmarkStart', name: `${MARK}${k}` }, ...children] };
      }
    }
    return out;
  };
  return visit;
}

/** Escapes what Accord's markup would read as markup (docs/… templates/README.md: * ^ _ { } [ ] \). */
const escapeMarkup = (s: string) => s.replace(/[\\*^_{}[\]]/g, (c) => `\\${c}`);

/** The blocks of mammoth's HTML (which its writer makes well-formed: it is read as XML). */
function blocksOf(html: string, facts: readonly ParagraphFacts[]): Block[] {
  const blocks: Block[] = [];
  let para: ParagraphBlock | undefined;
  let table: { rows: string[][]; images: number } | undefined;
  let tableDepth = 0;
  let inCell = false;
  let span = 1;
  let rowSpan = 1;
  /** For each column, how many rows below still belong to a cell spanning rows above. */
  let merged: number[] = [];
  /** Empty cells where a cell spanning rows from above stands: before the next cell, and at the row's end. */
  const fillMerged = () => {
    const row = table?.rows[table.rows.length - 1];
    while (row && (merged[row.length] ?? 0) > 0) {
      merged[row.length]!--;
      row.push('');
    }
  };

  let cellText = '';
  let skip = 0;
  const flush = () => {
    if (para) blocks.push({ ...para, text: tidy(para.text), plain: tidy(para.plain) });
    para = undefined;
  };
  const put = (s: string, plain = '') => {
    if (table) cellText += plain;
    else if (para) {
      para.text += s;
      para.plain += plain;
    }
  };
  readXml(`<root>${html}</root>`, {
    open: (name, a) => {
      if (skip) return void skip++;
      if (name === 'table') {
        if (tableDepth++ === 0) { flush(); table = { rows: [], images: 0 }; merged = []; }
        else cellText += '\n';
        return;
      }
      if (table) {
        if (tableDepth === 1 && name === 'tr') table.rows.push([]);
        else if (tableDepth === 1 && (name === 'td' || name === 'th')) {
          fillMerged();
          span = Math.min(30, Math.max(1, Number(a.colspan ?? 1) || 1));
          rowSpan = Math.min(1000, Math.max(1, Number(a.rowspan ?? 1) || 1));
          inCell = true;
          cellText = '';
        } else if (name === 'p' || name === 'li' || name === 'br') { if (cellText) cellText += '\n'; }
        else if (name === 'img') table.images++;
        return;
      }
      if (/^h[1-6]$/.test(name) || name === 'p' || name === 'li') {
        flush();
        para = { type: 'paragraph', tag: name === 'li' ? 'p' : name, cls: name === 'li' ? 'list' : (a.class ?? ''), text: '', plain: '' };
      } else if (name === 'a' && a.id?.startsWith(MARK)) {
        if (para) para.facts = facts[Number(a.id.slice(MARK.length))];
      } else if (name === 'br') put('\n', '\n');
      else if (name === 'strong') put('**');
      else if (name === 'em') put('*');
      else if (name === 'sup') put('^{');
      else if (name === 'sub') put('_{');
      else if (name === 'ol' || name === 'ul') flush();
    },
    close: (name) => {
      if (skip) return void skip--;
      if (name === 'table') {
        if (--tableDepth === 0 && table) {
          blocks.push({ type: 'table', rows: table.rows, images: table.images });
          table = undefined;
        }
        return;
      }
      if (table) {
        if (tableDepth === 1 && (name === 'td' || name === 'th') && inCell) {
          // Accord's rows have one text per column: a cell spanning columns is followed by empty ones, and
          // the rows under a cell spanning rows (mammoth leaves their cells out) get an empty one in its place.
          const row = table.rows[table.rows.length - 1]!;
          for (let i = 0; i < span; i++) merged[row.length + i] = rowSpan - 1;
          row.push(cellText.trim(), ...Array<string>(span - 1).fill(''));
          inCell = false;
        } else if (tableDepth === 1 && name === 'tr') fillMerged();
        return;
      }
      if (name === 'strong') put('**');
      else if (name === 'em') put('*');
      else if (name === 'sup' || name === 'sub') put('}');
      else if (/^h[1-6]$/.test(name) || name === 'p' || name === 'li') flush();
    },
    text: (t) => (table ? void (cellText += escapeMarkup(t)) : put(escapeMarkup(t), t)),
  }, 'draftImport');
  flush();
  // Bold or italic marks left around nothing («****») say nothing.
  for (const b of blocks) if (b.type === 'paragraph') b.text = b.text.replace(/(?<!\\)\*\*(\s*)\*\*/g, '$1').trim();
  return blocks;
}

/** The draft as blocks, and mammoth's own messages (kept for the log, not shown). */
export async function wordBlocks(bytes: Buffer, facts: readonly ParagraphFacts[]): Promise<{ blocks: Block[]; messages: string[] }> {
  const result = await mammoth.convertToHtml({ buffer: bytes }, {
    styleMap: STYLE_MAP,
    includeEmbeddedStyleMap: false,
    externalFileAccess: false,
    ignoreEmptyParagraphs: true,
    idPrefix: '',
    convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
    transformDocument: marker(facts),
  });
  return { blocks: blocksOf(result.value, facts), messages: result.messages.map((m) => m.message) };
}
