// The tagging layer of the layout (docs/pdf.md): while a flow lays out pages, the structure of what it
// draws is recorded beside the operators. Every drawing operator goes through one of two doors: content
// of the structure element being laid out (wrapped in a marked-content sequence with the next MCID of
// its page) or an artifact (rules, grids, running headers, repeated table headers). The layout opens
// and closes elements with `within`; the tree is written into the PDF once the pages are out
// (structure.ts). A Tagger that is off (redlines, summaries) passes the operators through unchanged.

/** The standard structure types of ISO 32000-1, 14.8.4, that Accord uses. */
export type StructType =
  | 'Document' | 'Part' | 'Sect' | 'Div' | 'H1' | 'H2' | 'H3' | 'H4' | 'H5' | 'H6' | 'P' | 'Note' | 'BibEntry'
  | 'L' | 'LI' | 'LBody' | 'Table' | 'TR' | 'TH' | 'TD' | 'Caption' | 'TOC' | 'TOCI' | 'Link' | 'Figure';

export interface StructAttrs {
  /** Alternate description (a figure). */
  alt?: string;
  /** A table header cell's scope. */
  scope?: 'Column' | 'Row';
  /** An element's ID (notes must have one, PDF/UA-1 7.9). */
  id?: string;
  lang?: string;
}

/** A link drawn on a page: its box (top-down coordinates), where it goes and its description. */
export interface PageLink { x: number; y: number; width: number; height: number; uri?: string; dest?: string; contents: string; node: StructNode }

/** A page as the tagging layer sees it: which element each of its MCIDs belongs to, its links and destinations. */
export interface TaggedPage {
  marks: StructNode[];
  links: PageLink[];
  dests: { name: string; y: number }[];
}

export interface StructNode {
  type: StructType;
  attrs?: StructAttrs;
  /** Child elements, marked content of a page (MCID) or a link annotation. */
  kids: (StructNode | { page: TaggedPage; mcid: number } | { link: PageLink })[];
}

/** The artifact kinds of ISO 32000-1, 14.8.2.2. */
export type ArtifactKind = 'Layout' | 'Header' | 'Footer' | 'Watermark';

const ARTIFACT: Record<ArtifactKind, string> = {
  Layout: '/Artifact BMC',
  Header: '/Artifact <</Type /Pagination /Subtype /Header>> BDC',
  Footer: '/Artifact <</Type /Pagination /Subtype /Footer>> BDC',
  Watermark: '/Artifact <</Type /Pagination /Subtype /Watermark>> BDC',
};

export class Tagger {
  readonly root: StructNode = { type: 'Document', kids: [] };
  private current: StructNode = this.root;

  constructor(readonly enabled: boolean) {}

  static off(): Tagger {
    return new Tagger(false);
  }

  /** A new element as the last child of the one being laid out, not entered yet. */
  add(type: StructType, attrs?: StructAttrs): StructNode {
    const node: StructNode = { type, attrs, kids: [] };
    if (this.enabled) this.current.kids.push(node);
    return node;
  }

  /** Lays out `fn` as the content of an element: a new one of the type given, or one added before. */
  within<T>(element: StructType | StructNode, fn: () => T, attrs?: StructAttrs): T {
    const node = typeof element === 'string' ? this.add(element, attrs) : element;
    const outer = this.current;
    this.current = node;
    try {
      return fn();
    } finally {
      this.current = outer;
    }
  }

  /** The operators as content of the current element on the page. */
  content(page: TaggedPage, ops: string): string {
    if (!this.enabled) return ops;
    const mcid = page.marks.length;
    page.marks.push(this.current);
    this.current.kids.push({ page, mcid });
    return `/${this.current.type}<</MCID ${mcid}>>BDC\n${ops}\nEMC`;
  }

  /** The operators as an artifact: drawn, but no part of the text. */
  artifact(ops: string, kind: ArtifactKind = 'Layout'): string {
    return this.enabled ? `${ARTIFACT[kind]}\n${ops}\nEMC` : ops;
  }

  /** A link annotation over a box of the page, in the current element. */
  link(page: TaggedPage, link: Omit<PageLink, 'node'>): void {
    if (!this.enabled) return;
    const l = { ...link, node: this.current };
    page.links.push(l);
    this.current.kids.push({ link: l });
  }
}

/** Heading of a clause at a depth: H1 for a section, H2 for its subsections… down to H6. */
export function headingType(depth: number): StructType {
  return `H${Math.min(6, Math.max(1, depth + 1))}` as StructType;
}
