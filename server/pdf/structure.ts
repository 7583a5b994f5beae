// The structure tree of a tagged document written into the PDF (docs/pdf.md): the layout recorded it
// (tagging.ts) before any page existed, so it is written here once the pages are out, rather than
// through PDFKit's `struct`, which expects content marked on the page being drawn. Each page's MCIDs go
// into the parent tree under the page's StructParents key; each link annotation is drawn with its page
// and joins its Link element as an object reference. A standard of 100 pages has thousands of elements
// (a table cell is one): they are serialised compactly here and handed to PDFKit as one chunk, which
// costs a tenth of writing each through PDFKit's objects.
import { textStringHex } from './line-ops.js';
import type { PageLink, StructNode, TaggedPage } from './tagging.js';

// The parts of PDFKit's objects used here (pinned minor version; they are not typed).
interface PdfRef { id: number; offset: number; data: Record<string, unknown>; end(): void }
interface NumberTree { get(key: number): unknown; add(key: number, value: unknown): void }
interface PdfKitTagging {
  page: { dictionary: PdfRef; height: number; structParentTreeKey: number };
  ref(data?: Record<string, unknown>): PdfRef;
  getStructTreeRoot(): PdfRef;
  getStructParentTree(): NumberTree;
  createStructParentTreeNextKey(): number;
  addNamedDestination(name: string, ...args: unknown[]): void;
  annotate(x: number, y: number, w: number, h: number, options: Record<string, unknown>): void;
  /** The writer's position, its output and its bookkeeping of a finished object (what PDFReference.finalize does). */
  _offset: number;
  _write(data: string): void;
  _refEnd(ref: PdfRef): void;
}

interface WrittenPage { ref: PdfRef; key: number }

const r = (ref: PdfRef) => `${ref.id} 0 R`;
/** An ASCII string (an ID, a language tag) as a hex string of its bytes. */
const asciiHex = (s: string) => `<${Buffer.from(s, 'latin1').toString('hex')}>`;

export class StructureWriter {
  private readonly doc: PdfKitTagging;
  private readonly pages = new Map<TaggedPage, WrittenPage>();
  private readonly annotations = new Map<PageLink, { ref: PdfRef; key: number; page: PdfRef }>();

  constructor(doc: PDFKit.PDFDocument, private readonly root: StructNode) {
    this.doc = doc as unknown as PdfKitTagging;
  }

  /** Right after the laid page was added: its parent-tree key, destinations and link annotations. */
  pageAdded(page: TaggedPage): void {
    const doc = this.doc;
    const written = { ref: doc.page.dictionary, key: doc.page.structParentTreeKey };
    this.pages.set(page, written);
    for (const d of page.dests) doc.addNamedDestination(d.name, 'XYZ', null, Math.max(0, d.y - 6), null);
    if (page.links.length) written.ref.data.Tabs = 'S';
    for (const link of page.links) this.annotate(link, written.ref);
  }

  private annotate(link: PageLink, page: PdfRef): void {
    const doc = this.doc;
    const action = link.uri ? doc.ref({ S: 'URI', URI: new String(link.uri) }) : undefined;
    action?.end();
    const target = action ? { A: action } : { Dest: new String(link.dest) };
    // PDFKit hands the annotation to a structure parent before it writes it: its StructParent is set then.
    const structParent = {
      add: (annotation: { annotationRef: PdfRef }) => {
        const key = doc.createStructParentTreeNextKey();
        annotation.annotationRef.data.StructParent = key;
        this.annotations.set(link, { ref: annotation.annotationRef, key, page });
      },
    };
    doc.annotate(link.x, link.y, link.width, link.height, { Subtype: 'Link', Contents: new String(link.contents), ...target, structParent });
  }

  /** Writes the tree under the StructTreeRoot, once every page is out. */
  end(): void {
    const doc = this.doc;
    const refs = new Map<StructNode, PdfRef>();
    const order: StructNode[] = [];
    const allocate = (node: StructNode) => {
      refs.set(node, doc.ref());
      order.push(node);
      for (const kid of node.kids) if ('type' in kid) allocate(kid);
    };
    allocate(this.root);
    const rootRef = doc.getStructTreeRoot();
    rootRef.data.K = [refs.get(this.root)];
    this.fillParentTree(refs);
    this.writeIdTree(refs, rootRef);
    let chunk = '';
    const parents = new Map<StructNode, PdfRef>([[this.root, rootRef]]);
    for (const node of order) {
      const ref = refs.get(node)!;
      for (const kid of node.kids) if ('type' in kid) parents.set(kid, ref);
      ref.offset = doc._offset + chunk.length;
      chunk += `${ref.id} 0 obj\n${this.dictionary(node, parents.get(node)!, refs)}\nendobj\n`;
    }
    // The chunk is ASCII (text strings are hex), so its length in characters is its length in bytes.
    doc._write(chunk.slice(0, -1));
    for (const node of order) doc._refEnd(refs.get(node)!);
  }

  private fillParentTree(refs: Map<StructNode, PdfRef>): void {
    const parentTree = this.doc.getStructParentTree();
    for (const [page, written] of this.pages) {
      const slots = parentTree.get(written.key) as unknown[];
      page.marks.forEach((node, mcid) => (slots[mcid] = refs.get(node)));
    }
    for (const [link, a] of this.annotations) parentTree.add(a.key, refs.get(link.node));
  }

  /** Elements with an ID (notes) are found through the IDTree: a name tree of one node, keys in byte order. */
  private writeIdTree(refs: Map<StructNode, PdfRef>, rootRef: PdfRef): void {
    const ids = [...refs].filter(([node]) => node.attrs?.id).map(([node, ref]) => [node.attrs!.id!, ref] as const);
    if (!ids.length) return;
    // The IDs are ASCII (clause keys), so code-unit order is byte order.
    ids.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const idTree = this.doc.ref({ Names: ids.flatMap(([id, ref]) => [new String(id), ref]) });
    idTree.end();
    rootRef.data.IDTree = idTree;
  }

  /** The element's dictionary: type, parent, page, kids (MCIDs, marked-content and object references), attributes. */
  private dictionary(node: StructNode, parent: PdfRef, refs: Map<StructNode, PdfRef>): string {
    let pg: PdfRef | undefined;
    const kids: string[] = [];
    for (const kid of node.kids) {
      if ('type' in kid) kids.push(r(refs.get(kid)!));
      else if ('link' in kid) {
        const a = this.annotations.get(kid.link);
        if (a) kids.push(`<</Type/OBJR/Obj ${r(a.ref)}/Pg ${r(a.page)}>>`);
      } else {
        const page = this.pages.get(kid.page)!.ref;
        pg ??= page;
        kids.push(pg === page ? String(kid.mcid) : `<</Type/MCR/Pg ${r(page)}/MCID ${kid.mcid}>>`);
      }
    }
    const a = node.attrs;
    let d = `<</S/${node.type}/P ${r(parent)}`;
    if (pg) d += `/Pg ${r(pg)}`;
    d += `/K[${kids.join(' ')}]`;
    if (a?.alt) d += `/Alt${textStringHex(a.alt)}`;
    if (a?.id) d += `/ID${asciiHex(a.id)}`;
    if (a?.lang) d += `/Lang${asciiHex(a.lang)}`;
    if (a?.scope) d += `/A<</O/Table/Scope/${a.scope}>>`;
    return `${d}>>`;
  }
}
