// Pure helpers over the demo's texts: what each revision of a demo document says (with the demo's own
// keys), and how those keys are rewritten to the keys the service gave the inserted clauses.
import {
  indent, insertAfter, moveDown, moveUp, outdent, removeClause, updateClause, type Clause, type ClausePatch,
} from '../text/clauses.js';
import { clausesFromTemplate, type Template } from '../documents/index.js';
import type { DemoDocument, DemoEdit } from './build.js';
import { gearCuttingMachines } from './gear-cutting-machines.js';
import { integratedCircuits } from './integrated-circuits.js';
import { laserMachines } from './laser-machines.js';
import { punchingMachines } from './punching-machines.js';

/** Every demo document, in the order the loader creates them. */
export const demoDocuments: readonly DemoDocument[] = [punchingMachines, gearCuttingMachines, laserMachines, integratedCircuits];

export function templateOf(doc: DemoDocument, templates: readonly Template[]): Template {
  const t = templates.find((x) => x.id === doc.kind);
  if (!t) throw new Error(`demo document ${doc.slug}: no template "${doc.kind}"`);
  return t;
}

/** The same edits the loader makes through the service, made with the pure clause operations. */
export function applyEdits(clauses: readonly Clause[], edits: readonly DemoEdit[]): Clause[] {
  let out = [...clauses];
  for (const e of edits) {
    if (e.type === 'update') out = updateClause(out, e.key, e.patch);
    else if (e.type === 'insert') out = insertAfter(out, e.afterKey, e.clause);
    else if (e.type === 'remove') out = removeClause(out, e.key);
    else out = { up: moveUp, down: moveDown, in: indent, out: outdent }[e.direction](out, e.key);
  }
  return out;
}

/** The text of each revision of a demo document (revision 1 first), with the demo's own keys. */
export function revisionTexts(doc: DemoDocument, templates: readonly Template[]): Clause[][] {
  const first = doc.clauses ?? applyEdits(clausesFromTemplate(templateOf(doc, templates), 'ru'), doc.edits ?? []);
  return doc.revision2 ? [first, applyEdits(first, doc.revision2)] : [first];
}

const REF = /\[\[ref:([A-Za-z0-9_-]{1,64})\]\]/g;

/** Keys a clause refers to: cross-references in its texts and its test-method link. */
export function referencedKeys(c: Partial<Clause>): string[] {
  const texts = [c.body, c.term?.definition, c.table?.caption, ...(c.table ? [...c.table.header, ...c.table.rows.flat()] : [])];
  const keys = texts.flatMap((t) => (t ? [...t.matchAll(REF)].map((m) => m[1]!) : []));
  if (c.requirement?.methodKey) keys.push(c.requirement.methodKey);
  return keys;
}

/** Rewrites the keys a clause (or a patch) refers to; keys not in the map are left as they are. */
export function remap<T extends Partial<Clause>>(c: T, map: ReadonlyMap<string, string>): T {
  const text = (s: string) => s.replace(REF, (whole, key: string) => (map.has(key) ? `[[ref:${map.get(key)}]]` : whole));
  const out: T = { ...c };
  if (c.body !== undefined) out.body = text(c.body);
  if (c.term) out.term = { ...c.term, definition: text(c.term.definition) };
  if (c.table) {
    out.table = {
      ...c.table,
      ...(c.table.caption !== undefined ? { caption: text(c.table.caption) } : {}),
      header: c.table.header.map(text),
      rows: c.table.rows.map((r) => r.map(text)),
    };
  }
  if (c.requirement?.methodKey) out.requirement = { ...c.requirement, methodKey: map.get(c.requirement.methodKey) ?? c.requirement.methodKey };
  return out;
}

export const PAYLOAD_FIELDS = ['kind', 'heading', 'body', 'annex', 'unnumbered', 'requirement', 'table', 'term', 'reference'] as const;

const present = (v: unknown) => v !== undefined && v !== null && v !== false && v !== '';

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().filter((k) => present((v as Record<string, unknown>)[k])).map((k) => [k, sorted((v as Record<string, unknown>)[k])]));
  }
  return v;
}

/** A clause's content (not its key) as a string that is equal exactly when the content is. */
export function contentOf(c: Partial<Clause>): string {
  const picked: Record<string, unknown> = { depth: c.depth };
  for (const f of PAYLOAD_FIELDS) if (present(c[f])) picked[f] = c[f];
  return JSON.stringify(sorted(picked));
}

/** The patch that turns `from` into `to`: every field of `to`, and removal of what only `from` has. */
export function patchBetween(from: Clause, to: Clause): ClausePatch {
  const patch: Record<string, unknown> = {};
  for (const f of PAYLOAD_FIELDS) {
    if (present(to[f])) patch[f] = to[f];
    else if (present(from[f])) patch[f] = undefined;
  }
  return patch as ClausePatch;
}
