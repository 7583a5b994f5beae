// Small builders for the demo documents: each document is written as a nested tree (as it is read) and
// flattened into the Clause array a revision stores, with depths taken from the nesting. Keys are the
// author's own readable names; the loader maps them to the keys the service gives inserted clauses.
import type { Clause, ClauseRequirement } from '../text/clauses.js';
import type { DocumentDetails } from '../documents/index.js';

export interface DemoNode {
  clause: Omit<Clause, 'depth'>;
  children: DemoNode[];
}

const node = (clause: Omit<Clause, 'depth'>, children: DemoNode[] = []): DemoNode => ({ clause, children });

export function section(key: string, heading: string, body: string | null, children: DemoNode[] = []): DemoNode {
  return node({ key, kind: 'section', heading, ...(body ? { body } : {}) }, children);
}

export function annex(key: string, status: 'normative' | 'informative', heading: string, children: DemoNode[]): DemoNode {
  return node({ key, kind: 'section', heading, annex: status }, children);
}

export function bibliography(key: string, heading: string, children: DemoNode[]): DemoNode {
  return node({ key, kind: 'section', heading, unnumbered: true }, children);
}

export function text(key: string, body: string, children: DemoNode[] = []): DemoNode {
  return node({ key, kind: 'text', body }, children);
}

/** A numbered clause with a run-in heading («Маркировка. …»). */
export function headed(key: string, heading: string, body: string, children: DemoNode[] = []): DemoNode {
  return node({ key, kind: 'text', heading, body }, children);
}

export function requirement(key: string, req: ClauseRequirement, body?: string, children: DemoNode[] = []): DemoNode {
  return node({ key, kind: 'requirement', requirement: req, ...(body ? { body } : {}) }, children);
}

export function note(key: string, body: string): DemoNode {
  return node({ key, kind: 'note', body });
}

export function example(key: string, body: string): DemoNode {
  return node({ key, kind: 'example', body });
}

export function table(key: string, caption: string | undefined, header: string[], rows: string[][]): DemoNode {
  return node({ key, kind: 'table', table: { ...(caption ? { caption } : {}), header, rows } });
}

export function term(key: string, ru: string, en: string | undefined, definition: string): DemoNode {
  return node({ key, kind: 'term', term: { ru, ...(en ? { en } : {}), definition } });
}

export function reference(key: string, designation: string, title: string): DemoNode {
  return node({ key, kind: 'reference', reference: { designation, title } });
}

export function bib(key: string, body: string): DemoNode {
  return node({ key, kind: 'bibliography', body });
}

export function flatten(nodes: readonly DemoNode[], depth = 0): Clause[] {
  return nodes.flatMap((n) => [{ ...n.clause, depth } as Clause, ...flatten(n.children, depth + 1)]);
}

/** The note every GOST 1.5 standard puts after its list of normative references (as in the templates). */
export const REFERENCES_NOTE =
  'При пользовании настоящим стандартом целесообразно проверить действие ссылочных стандартов по соответствующим указателям стандартов, составленным по состоянию на 1 января текущего года, и по соответствующим информационным указателям, опубликованным в текущем году. Если ссылочный стандарт заменён (изменён), то при пользовании настоящим стандартом следует руководствоваться заменяющим (изменённым) стандартом. Если ссылочный стандарт отменён без замены, то положение, в котором дана ссылка на него, применяется в части, не затрагивающей эту ссылку.';

/** One change made to a draft after a comment round, written with the demo's own keys. */
export type DemoEdit =
  | { type: 'update'; key: string; patch: Partial<Omit<Clause, 'key' | 'depth'>>; why: string }
  | { type: 'insert'; afterKey: string; clause: Clause; why: string }
  | { type: 'remove'; key: string; why: string }
  | { type: 'move'; key: string; direction: 'up' | 'down' | 'in' | 'out'; why: string };

export interface DemoDocument {
  /** A short name for messages and tests. */
  slug: string;
  kind: string;
  details: DocumentDetails;
  /** The text of revision 1, written out whole (template clauses keep their template keys)… */
  clauses?: Clause[];
  /** …or the edits that make revision 1 from the template's skeleton. */
  edits?: DemoEdit[];
  /** Edits that make revision 2, for a document that goes through a comment round. */
  revision2?: DemoEdit[];
}
