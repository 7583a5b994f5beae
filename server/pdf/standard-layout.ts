// What the parts of the standard's layout share (standard.ts puts them together): the body styles,
// the two flows (front matter, body), the contents and bookmarks collected on the way, and the small
// rules of GOST 1.5 about names and dates, and the structure the parts share (tagging.ts): the
// sections as nested Sect elements, the contents' place in the tree and its links' destinations.
import type { Inline } from '../text/markup.js';
import type { Boilerplate } from './assets.js';
import type { OutlineEntry } from './document.js';
import { A4_PORTRAIT, Flow, MM } from './layout.js';
import type { StandardPdfView } from './standard-view.js';
import { Tagger, type StructNode } from './tagging.js';
import { inlineSpans, type Span, type TextStyle } from './text.js';

export const INDENT = 10 * MM;
export const BODY: TextStyle = { face: 'serif', size: 11 };
export const BODY_LEADING = 14.5;
export const SMALL: TextStyle = { face: 'serif', size: 10 };
export const SMALL_LEADING = 12.6;
export const H1: TextStyle = { face: 'sansBold', size: 12 };
export const H2: TextStyle = { face: 'sansBold', size: 11 };

/** A line of the contents: its heading, where it is in the body, and the named destination there. */
export interface ContentsEntry { text: string; depth: number; page: number; dest: string }
/** A bookmark while the parts are laid out separately: its page counts within its part. */
export type Mark = OutlineEntry & { part: 'front' | 'contents' | 'body' };

export type Faces = ConstructorParameters<typeof Flow>[0];

/** «первая редакция», «редакция 12». */
export function revisionName(text: Boilerplate, n: number): string {
  const ordinal = text.revisionOrdinals[n - 1];
  return ordinal ? `${ordinal} ${text.revisionWord}` : `${text.revisionWord} ${n}`;
}

/** GOST writes dates of entry into force as 2027—07—01. */
export const gostDate = (iso: string) => iso.replace(/-/g, '—');

/** The title split as GOST sets it: the product group in capitals, then the rest. */
export function splitTitle(title: string): [string, string] {
  const at = title.indexOf('. ');
  return at > 0 ? [title.slice(0, at), title.slice(at + 2)] : [title, ''];
}

/** One standard being laid out: its front matter and body flows, and what they record for the contents. */
export class StandardLayout {
  readonly front: Flow;
  readonly body: Flow;
  readonly contents: ContentsEntry[] = [];
  readonly outline: Mark[] = [];
  /** The contents' element, placed after the foreword and filled once the body is laid out. */
  toc?: StructNode;
  /** The sections open at the clause being laid out, outermost first. */
  private readonly sections: { depth: number; node: StructNode }[] = [];
  private readonly refLabel: (key: string) => string | undefined;

  constructor(readonly view: StandardPdfView, readonly text: Boilerplate, faces: Faces, readonly tags: Tagger = Tagger.off()) {
    this.front = new Flow(faces, A4_PORTRAIT, tags);
    this.body = new Flow(faces, A4_PORTRAIT, tags);
    this.refLabel = (key) => view.refs[key];
  }

  /** A section clause at this depth opens a Sect inside the enclosing one, closing those at its depth or deeper. */
  openSection(depth: number): void {
    while (this.sections.length && this.sections[this.sections.length - 1]!.depth >= depth) this.sections.pop();
    const parent = this.sections[this.sections.length - 1]?.node ?? this.tags.root;
    this.sections.push({ depth, node: this.tags.within(parent, () => this.tags.add('Sect')) });
  }

  /** The element a clause is laid out in: the innermost open section, or the document. */
  section(): StructNode {
    return this.sections[this.sections.length - 1]?.node ?? this.tags.root;
  }

  /** Ends the sections: what follows (the closing block) belongs to the document. */
  closeSections(): void {
    this.sections.length = 0;
  }

  spans(nodes: readonly Inline[], style: TextStyle = BODY): Span[] {
    return inlineSpans(nodes, style, this.refLabel);
  }

  /** Records a body heading for the contents (two levels) and the bookmarks (every level). */
  mark(title: string, depth: number): void {
    const b = this.body;
    this.outline.push({ title, page: b.pageIndex, y: b.y, depth, part: 'body' });
    if (depth > 1) return;
    const dest = `clause-${this.contents.length + 1}`;
    b.page.dests.push({ name: dest, y: b.y });
    this.contents.push({ text: title, depth, page: b.pageIndex, dest });
  }
}
