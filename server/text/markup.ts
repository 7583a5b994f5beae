// The small, safe markup of clause text. Syntax (see templates/README.md):
//   blank line          → new paragraph (single newlines inside a paragraph are spaces)
//   "- ", "– ", "• "    → bullet list item;  "1) " / "1. " → numbered item;  "а) " or "a) " → lettered item
//   *em*  **strong**  ^{sup}  _{sub}  [[ref:KEY]]  and \* \^ \_ \{ \} \[ \] \\ for the literal characters
// No HTML passes through: the AST holds only text, and every renderer escapes it.
import { GOST_LETTERS } from './letters.js';

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'em' | 'strong' | 'sup' | 'sub'; children: Inline[] }
  | { type: 'ref'; key: string };

export type ListStyle = 'bullet' | 'number' | 'letter';

export type Block =
  | { type: 'paragraph'; content: Inline[] }
  | { type: 'list'; style: ListStyle; items: Inline[][] };

/** Turns a cross-referenced clause key into its current number, or undefined when the key is unknown. */
export type RefResolver = (key: string) => string | undefined;

const LIST_ITEM: ReadonlyArray<{ style: ListStyle; re: RegExp }> = [
  { style: 'bullet', re: /^[-–•]\s+(.*)$/ },
  { style: 'number', re: /^\d{1,3}[.)]\s+(.*)$/ },
  { style: 'letter', re: /^[a-zа-яё]\)\s+(.*)$/ },
];

export function parseMarkup(source: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let list: { style: ListStyle; items: string[] } | undefined;
  const flushParagraph = () => {
    if (paragraph.length) blocks.push({ type: 'paragraph', content: parseInline(paragraph.join(' ')) });
    paragraph = [];
  };
  const flushList = () => {
    if (list) blocks.push({ type: 'list', style: list.style, items: list.items.map(parseInline) });
    list = undefined;
  };
  for (const raw of source.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    if (!line) { flushParagraph(); flushList(); continue; }
    const item = LIST_ITEM.map(({ style, re }) => ({ style, m: re.exec(line) })).find((x) => x.m);
    if (item?.m) {
      flushParagraph();
      if (list?.style !== item.style) { flushList(); list = { style: item.style, items: [] }; }
      list.items.push(item.m[1] ?? '');
    } else if (list) {
      // A line that is not an item continues the previous item; a blank line ends the list.
      list.items[list.items.length - 1] += ' ' + line;
    } else {
      paragraph.push(line);
    }
  }
  flushParagraph();
  flushList();
  return blocks;
}

type Token =
  | { t: 'text'; s: string }
  | { t: 'ref'; key: string }
  | { t: 'open'; kind: 'sup' | 'sub'; raw: string }
  | { t: 'close' }
  | { t: 'star'; kind: 'em' | 'strong'; raw: string };

const REF = /\[\[ref:([A-Za-z0-9_-]{1,64})\]\]/y;
const ESCAPABLE = new Set(['\\', '*', '^', '_', '{', '}', '[', ']']);

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let text = '';
  const push = (tok: Token) => { if (text) out.push({ t: 'text', s: text }); text = ''; out.push(tok); };
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    const next = s[i + 1];
    if (c === '\\' && next !== undefined && ESCAPABLE.has(next)) { text += next; i += 2; continue; }
    REF.lastIndex = i;
    const ref = c === '[' ? REF.exec(s) : null;
    if (ref) { push({ t: 'ref', key: ref[1]! }); i += ref[0].length; continue; }
    if (c === '*' && next === '*') { push({ t: 'star', kind: 'strong', raw: '**' }); i += 2; continue; }
    if (c === '*') { push({ t: 'star', kind: 'em', raw: '*' }); i += 1; continue; }
    if ((c === '^' || c === '_') && next === '{') {
      push({ t: 'open', kind: c === '^' ? 'sup' : 'sub', raw: c + '{' }); i += 2; continue;
    }
    if (c === '}') { push({ t: 'close' }); i += 1; continue; }
    text += c;
    i += 1;
  }
  if (text) out.push({ t: 'text', s: text });
  return out;
}

interface Frame { kind: 'root' | 'em' | 'strong' | 'sup' | 'sub'; raw: string; children: Inline[] }

function append(children: Inline[], node: Inline): void {
  const last = children[children.length - 1];
  if (node.type === 'text' && last?.type === 'text') last.text += node.text;
  else if (node.type !== 'text' || node.text) children.push(node);
}

/** Delimiters are matched with a stack; an opener that is never closed stays literal text. */
export function parseInline(source: string): Inline[] {
  const stack: Frame[] = [{ kind: 'root', raw: '', children: [] }];
  const top = () => stack[stack.length - 1]!;
  const collapse = () => {
    const f = stack.pop()!;
    append(top().children, { type: 'text', text: f.raw });
    for (const child of f.children) append(top().children, child);
  };
  const close = (index: number, closer: string) => {
    while (stack.length - 1 > index) collapse();
    const f = stack.pop()!;
    if (f.kind === 'root') throw new Error('unreachable: root frame closed');
    if (f.children.length === 0) append(top().children, { type: 'text', text: f.raw + closer });
    else append(top().children, { type: f.kind, children: f.children });
  };
  const findOpen = (match: (k: Frame['kind']) => boolean) => {
    for (let i = stack.length - 1; i > 0; i--) if (match(stack[i]!.kind)) return i;
    return -1;
  };
  for (const tok of tokenize(source)) {
    if (tok.t === 'text') append(top().children, { type: 'text', text: tok.s });
    else if (tok.t === 'ref') append(top().children, { type: 'ref', key: tok.key });
    else if (tok.t === 'open') stack.push({ kind: tok.kind, raw: tok.raw, children: [] });
    else if (tok.t === 'close') {
      const at = findOpen((k) => k === 'sup' || k === 'sub');
      if (at > 0) close(at, '}');
      else append(top().children, { type: 'text', text: '}' });
    } else {
      const at = findOpen((k) => k === tok.kind);
      if (at > 0) close(at, tok.raw);
      else stack.push({ kind: tok.kind, raw: tok.raw, children: [] });
    }
  }
  while (stack.length > 1) collapse();
  return top().children;
}

/** The marker printed before a list item: «–», «1)», «а)» (GOST 1.5 letters, digits past the 25th). */
export function listMarker(style: ListStyle, index: number): string {
  if (style === 'bullet') return '–';
  if (style === 'letter' && index < GOST_LETTERS.length) return `${GOST_LETTERS[index]!.toLowerCase()})`;
  return `${index + 1})`;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

function inlineHtml(nodes: readonly Inline[], resolve: RefResolver): string {
  return nodes.map((n) => {
    if (n.type === 'text') return escapeHtml(n.text);
    if (n.type === 'ref') {
      const label = resolve(n.key);
      return label === undefined
        ? '<span class="xref-missing">[?]</span>'
        : `<a class="xref" href="#clause-${escapeHtml(n.key)}">${escapeHtml(label)}</a>`;
    }
    return `<${n.type}>${inlineHtml(n.children, resolve)}</${n.type}>`;
  }).join('');
}

export function markupToHtml(blocks: readonly Block[], resolve: RefResolver): string {
  return blocks.map((b) => {
    if (b.type === 'paragraph') return `<p>${inlineHtml(b.content, resolve)}</p>`;
    if (b.style === 'bullet') return `<ul>${b.items.map((i) => `<li>${inlineHtml(i, resolve)}</li>`).join('')}</ul>`;
    // Explicit markers: CSS cannot count in the GOST letter sequence, and the PDF prints the same ones.
    const items = b.items.map((i, n) =>
      `<li><span class="list-marker">${escapeHtml(listMarker(b.style, n))}</span> ${inlineHtml(i, resolve)}</li>`);
    return `<ol class="list-${b.style}">${items.join('')}</ol>`;
  }).join('');
}

/** One line of markup without paragraph or list: table cells, term definitions. */
export function inlineMarkupToHtml(source: string, resolve: RefResolver): string {
  return inlineHtml(parseInline(source), resolve);
}

const SUPERSCRIPT: Record<string, string> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹',
  '+': '⁺', '-': '⁻', '−': '⁻', '=': '⁼', '(': '⁽', ')': '⁾', n: 'ⁿ', i: 'ⁱ',
};
const SUBSCRIPT: Record<string, string> = {
  '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉',
  '+': '₊', '-': '₋', '−': '₋', '=': '₌', '(': '₍', ')': '₎',
};

function scripted(text: string, map: Record<string, string>, mark: string): string {
  const chars = [...text];
  return chars.every((c) => map[c]) ? chars.map((c) => map[c]).join('') : `${mark}(${text})`;
}

function inlineText(nodes: readonly Inline[], resolve: RefResolver): string {
  return nodes.map((n) => {
    if (n.type === 'text') return n.text;
    if (n.type === 'ref') return resolve(n.key) ?? '[?]';
    const inner = inlineText(n.children, resolve);
    if (n.type === 'sup') return scripted(inner, SUPERSCRIPT, '^');
    if (n.type === 'sub') return scripted(inner, SUBSCRIPT, '_');
    return inner;
  }).join('');
}

/** Plain text for search, CSV and e-mail: sub/superscripts become Unicode where it has the characters. */
export function markupToPlainText(blocks: readonly Block[], resolve: RefResolver = () => undefined): string {
  return blocks.map((b) => b.type === 'paragraph'
    ? inlineText(b.content, resolve)
    : b.items.map((i, n) => `${listMarker(b.style, n)} ${inlineText(i, resolve)}`).join('\n')).join('\n');
}

/** Every clause key cross-referenced in the blocks, in order of appearance (duplicates kept). */
export function collectRefs(blocks: readonly Block[]): string[] {
  const keys: string[] = [];
  const walk = (nodes: readonly Inline[]) => {
    for (const n of nodes) {
      if (n.type === 'ref') keys.push(n.key);
      else if (n.type !== 'text') walk(n.children);
    }
  };
  for (const b of blocks) {
    if (b.type === 'paragraph') walk(b.content);
    else b.items.forEach(walk);
  }
  return keys;
}
