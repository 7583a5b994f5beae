// The clauses of a published revision as NISO STS body and back matter (docs/sts.md): sections as sec,
// annexes as app, paragraphs and lists, tables as table-wrap, notes and examples as non-normative-note
// and -example, terms as term-sec with a TBX entry, normative references as a ref-list in their section
// and the bibliography as the back's ref-list. Built with xmlbuilder2: every text is escaped by it.
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { CONTAINER_KINDS, type Clause } from '../text/clauses.js';
import { parseInline, parseMarkup, type Block, type Inline } from '../text/markup.js';
import { numberClauses, resolveCrossReferences, type Label } from '../text/numbering.js';
import { requirementValueText } from '../text/view-model.js';

export const TBX_NS = 'urn:iso:std:iso:30042:ed-1';

/** An element id for a clause key (keys are url-safe; an XML id must start with a letter). */
export const idOf = (key: string) => `c-${key}`;

const XREF_TYPE: Record<Label['kind'], string> = { clause: 'sec', annex: 'app', note: 'other', example: 'other', table: 'table', bibliography: 'bibr' };

interface Context {
  labels: Map<string, Label>;
  resolve: (key: string) => string | undefined;
}

function inline(parent: XMLBuilder, items: readonly Inline[], ctx: Context): void {
  for (const item of items) {
    if (item.type === 'text') parent.txt(item.text);
    else if (item.type === 'ref') {
      const label = ctx.labels.get(item.key);
      parent.ele('xref', { 'ref-type': label ? XREF_TYPE[label.kind] : 'other', rid: idOf(item.key) }).txt(ctx.resolve(item.key) ?? '[?]');
    } else {
      const name = item.type === 'em' ? 'italic' : item.type === 'strong' ? 'bold' : item.type;
      inline(parent.ele(name), item.children, ctx);
    }
  }
}

function blocks(parent: XMLBuilder, source: readonly Block[], ctx: Context): void {
  for (const block of source) {
    if (block.type === 'paragraph') inline(parent.ele('p'), block.content, ctx);
    else {
      const list = parent.ele('list', { 'list-type': block.style === 'bullet' ? 'bullet' : block.style === 'number' ? 'order' : 'alpha-lower' });
      for (const item of block.items) inline(list.ele('list-item').ele('p'), item, ctx);
    }
  }
}

function labelAndTitle(el: XMLBuilder, c: Clause, ctx: Context): void {
  const label = ctx.labels.get(c.key);
  if (label) el.ele('label').txt(label.text.ru);
  if (c.heading) el.ele('title').txt(c.heading);
}

/** A section, a numbered text or a requirement: sec (app for an annex), its label, title and text. */
function container(parent: XMLBuilder, c: Clause, ctx: Context): XMLBuilder {
  const label = ctx.labels.get(c.key);
  const el = label?.kind === 'annex'
    ? parent.ele('app', { id: idOf(c.key), 'content-type': c.annex === 'normative' ? 'norm-annex' : 'inform-annex' })
    : parent.ele('sec', { id: idOf(c.key), ...(c.kind === 'section' ? {} : { 'sec-type': c.kind }) });
  if (label) el.ele('label').txt(label.text.ru);
  if (label?.annexStatus) el.ele('annex-type').txt(label.annexStatus.ru);
  if (c.heading) el.ele('title').txt(c.heading);
  if (c.body) blocks(el, parseMarkup(c.body), ctx);
  if (c.requirement) {
    const r = c.requirement;
    const p = el.ele('p', { 'content-type': 'requirement' });
    p.ele('named-content', { 'content-type': 'parameter' }).txt(r.parameter);
    p.txt(': ');
    p.ele('named-content', { 'content-type': 'value' }).txt(requirementValueText(r, 'ru'));
    if (r.methodKey) {
      p.txt('; ');
      p.ele('xref', { 'ref-type': 'sec', rid: idOf(r.methodKey) }).txt(ctx.resolve(r.methodKey) ?? '[?]');
    }
  }
  return el;
}

function table(parent: XMLBuilder, c: Clause, ctx: Context): void {
  const t = c.table!;
  const wrap = parent.ele('table-wrap', { id: idOf(c.key) });
  labelAndTitle(wrap, { ...c, heading: undefined }, ctx);
  if (t.caption) inline(wrap.ele('caption').ele('title'), parseInline(t.caption), ctx);
  const el = wrap.ele('table');
  if (t.header.length) {
    const tr = el.ele('thead').ele('tr');
    for (const h of t.header) inline(tr.ele('th', { scope: 'col' }), parseInline(h), ctx);
  }
  const body = el.ele('tbody');
  for (const row of t.rows) {
    const tr = body.ele('tr');
    for (const cell of row) inline(tr.ele('td'), parseInline(cell), ctx);
  }
}

function term(parent: XMLBuilder, c: Clause, ctx: Context): void {
  const t = c.term!;
  const sec = parent.ele('term-sec', { id: idOf(c.key) });
  const label = ctx.labels.get(c.key);
  if (label) sec.ele('label').txt(label.text.ru);
  const entry = sec.ele(TBX_NS, 'tbx:termEntry', { id: `term-${c.key}` });
  const ru = entry.ele(TBX_NS, 'tbx:langSet', { 'xml:lang': 'ru' });
  inline(ru.ele(TBX_NS, 'tbx:definition'), parseInline(t.definition), ctx);
  ru.ele(TBX_NS, 'tbx:tig').ele(TBX_NS, 'tbx:term').txt(t.ru);
  if (t.en) entry.ele(TBX_NS, 'tbx:langSet', { 'xml:lang': 'en' }).ele(TBX_NS, 'tbx:tig').ele(TBX_NS, 'tbx:term').txt(t.en);
}

/** A leaf clause in its section (or in the body); references gather in the section's ref-list. */
function leaf(parent: XMLBuilder, c: Clause, ctx: Context, refLists: Map<XMLBuilder, XMLBuilder>): void {
  if (c.kind === 'table') return table(parent, c, ctx);
  if (c.kind === 'term') return term(parent, c, ctx);
  if (c.kind === 'reference') {
    let list = refLists.get(parent);
    if (!list) refLists.set(parent, (list = parent.ele('ref-list', { 'content-type': 'norm-refs' })));
    const std = list.ele('ref', { id: idOf(c.key) }).ele('std');
    std.ele('std-ref').txt(c.reference!.designation);
    std.txt(', ');
    std.ele('title').txt(c.reference!.title);
    return;
  }
  const el = parent.ele(c.kind === 'example' ? 'non-normative-example' : c.kind === 'note' ? 'non-normative-note' : 'sec', { id: idOf(c.key) });
  labelAndTitle(el, c, ctx);
  if (c.body) blocks(el, parseMarkup(c.body), ctx);
}

/** Body (sections), app-group (annexes) and the bibliography, into the given elements. */
export function stsClauses(clauses: readonly Clause[], into: { body: XMLBuilder; back: () => XMLBuilder }): void {
  const labels = numberClauses(clauses);
  const ctx: Context = { labels, resolve: resolveCrossReferences(clauses, 'ru', labels) };
  const stack: { depth: number; el: XMLBuilder }[] = [];
  const refLists = new Map<XMLBuilder, XMLBuilder>();
  let appGroup: XMLBuilder | undefined;
  let bibliography: XMLBuilder | undefined;
  for (const c of clauses) {
    while (stack.length && stack[stack.length - 1]!.depth >= c.depth) stack.pop();
    if (c.kind === 'bibliography') {
      bibliography ??= into.back().ele('ref-list', { 'content-type': 'bibl' });
      const ref = bibliography.ele('ref', { id: idOf(c.key) });
      const label = labels.get(c.key);
      if (label) ref.ele('label').txt(label.text.ru);
      inline(ref.ele('mixed-citation'), parseInline((c.body ?? '').replace(/\s+/g, ' ')), ctx);
      continue;
    }
    const isAnnex = labels.get(c.key)?.kind === 'annex';
    const parent = isAnnex ? (appGroup ??= into.back().ele('app-group')) : (stack[stack.length - 1]?.el ?? into.body);
    if (CONTAINER_KINDS.has(c.kind)) stack.push({ depth: c.depth, el: container(parent, c, ctx) });
    else leaf(parent, c, ctx, refLists);
  }
}
