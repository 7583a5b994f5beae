// A legacy draft's blocks (word-html.ts) turned into Accord's clauses (docs/draft-import.md):
// numbered headings and paragraphs («1 Область применения», «4.1.2 …», whether the number is typed or
// Word's list gives it) become clauses at the depth their number says; «Приложение А (обязательное)» an
// annex; «Библиография» the unnumbered bibliography with its [n] entries; tables table clauses; «Примечание»
// and «Пример» notes and examples; the numbered paragraphs of «Термины и определения» terms and the
// designations listed in «Нормативные ссылки» reference entries. What has no place is counted, with the
// clause it stood in. The result keeps the clause rules by construction (a depth the file skips is
// closed up, and said); Accord derives its own numbers, and where they differ from the file's it is said.
import { newClauseKey, type Clause, type ClauseKind, isContainer } from '../../text/clauses.js';
import { numberClauses } from '../../text/numbering.js';
import type { Block, ParagraphBlock, TableBlock } from './word-html.js';
import { OUTLINE_NUMBER } from './word-parts.js';

export type DroppedKind = 'image' | 'formula' | 'footnote' | 'comment' | 'textBox' | 'frontMatter' | 'figureCaption' | 'emptyTable';
export interface Dropped { kind: DroppedKind; count: number; where: string }
export type NoticeCode = 'depthClosedUp' | 'numberDiffers' | 'textAfterChildren' | 'tableCut' | 'cellCut' | 'termWithoutDefinition';
export interface Notice { code: NoticeCode; where: string; params?: Record<string, string | number> }

export interface DraftStructure {
  clauses: Clause[];
  /** The number each clause has in the file, by key ('' where it had none). */
  written: Record<string, string>;
  dropped: Dropped[];
  notices: Notice[];
}

const MAX = { columns: 30, rows: 1000, cell: 2000, heading: 500, body: 50_000 };

const TYPED_NUMBER = /^((?:\d{1,3}(?:\.\d{1,3}){0,7})|(?:[А-ЯЁA-Z](?:\.\d{1,3}){1,7}))\.?[\s\u00a0]+(\S[\s\S]*)$/u;
const ANNEX = /^(?:Приложение|ПРИЛОЖЕНИЕ|Annex|ANNEX)\s+([А-ЯЁA-Z])(?![\p{L}])\s*([\s\S]*)$/u;
const ANNEX_STATUS = /^\(\s*(обязательное|справочное|рекомендуемое|normative|informative)\s*\)\s*([\s\S]*)$/iu;
const BIBLIOGRAPHY = /^(Библиография|БИБЛИОГРАФИЯ|Bibliography|BIBLIOGRAPHY)$/u;
const UNNUMBERED = /^(Введение|ВВЕДЕНИЕ|Предисловие|ПРЕДИСЛОВИЕ|Introduction|Foreword)$/u;
const NOTE = /^(Примечани[ея]|ПРИМЕЧАНИ[ЕЯ]|Пример[ы]?|ПРИМЕР[Ы]?|Notes?|NOTES?|Examples?|EXAMPLES?)(?:\s+(\d{1,2}))?\s*(?:[—–-]|:|\.)?\s*([\s\S]*)$/u;
const TABLE_CAPTION = /^(?:Таблица|Table)\s+([А-ЯЁA-Z]?\.?\d{1,3})\s*(?:[—–-]\s*([\s\S]*))?$/u;
const FIGURE_CAPTION = /^(?:Рисунок|Figure)\s+[А-ЯЁA-Z]?\.?\d{1,3}/u;
const REFERENCE = /^((?:ГОСТ Р|ГОСТ IEC|ГОСТ ISO|ГОСТ|СТБ|СТ СГ|СТ РК|ISO\/IEC|ISO|IEC|IEEE|EN|ТР ТС|ТР ЕАЭС|СП|ТКП|ОСТ)\s+[0-9][0-9A-Za-z.:/]*(?:\s?[-–—]\s?\d{2,4})?)\s*[—–-]?\s+(\S[\s\S]*)$/u;
const BIB_ENTRY = /^\[(\d{1,4})\]\s*([\s\S]+)$/u;
const TERM = /^([^:()]{1,300}?)(?:\s*\(([^()]{1,300})\))?\s*:\s*(\S[\s\S]*)$/u;
const TERMS_SECTION = /^(термины|terms)/iu;
const REFERENCES_SECTION = /^(нормативные ссылки|normative references)/iu;

// A Latin capital typed for the Cyrillic letter of GOST 1.5's annexes («A.1» for «А.1») is read as that letter.
const LOOKALIKE: Record<string, string> = { A: 'А', B: 'В', C: 'С', E: 'Е', H: 'Н', K: 'К', M: 'М', P: 'Р', T: 'Т', X: 'Х' };
const cyrillic = (s: string) => s.replace(/^[ABCEHKMPTX]/, (c) => LOOKALIKE[c]!);

const isNoteKind = (w: string): 'note' | 'example' => (/^(пример|example)/iu.test(w) ? 'example' : 'note');
const plural = (w: string) => /^(примечания|примеры|notes|examples)$/iu.test(w);
const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** The markup of a paragraph without the first `n` characters of its plain text (a number, a label). */
function rest(b: ParagraphBlock, prefixPlain: string): string {
  const prefix = prefixPlain.replace(/[\\*^_{}[\]]/g, (c) => `\\${c}`);
  for (const lead of ['', '**', '*']) {
    if (b.text.startsWith(lead + prefix)) {
      const after = b.text.slice(lead.length + prefix.length).replace(/^[\s\u00a0]*(?:[—–-]\s+)?/u, '');
      return (lead + after).replace(/^\*\*\s*\*\*/, '').trim();
    }
  }
  return b.plain.slice(prefixPlain.length).replace(/[\\*^_{}[\]]/g, (c) => `\\${c}`).trim();
}

interface Numbered { number: string; parts: string[]; annex?: string; text: string; markup: string }

/** The clause number a paragraph has: Word's list number, or one typed at its start. */
function numberOf(b: ParagraphBlock): Numbered | undefined {
  const f = b.facts;
  if (f?.label && f.outline) {
    const number = cyrillic(f.label.replace(/\.$/, ''));
    return { number, parts: number.split('.'), annex: /^[А-ЯЁA-Z]/u.test(number) ? number[0] : undefined, text: b.plain, markup: b.text };
  }
  const m = TYPED_NUMBER.exec(b.plain);
  if (!m || (f?.label && !f.outline)) return undefined;
  const number = cyrillic(m[1]!);
  return { number, parts: number.split('.'), annex: /^[А-ЯЁA-Z]/u.test(number) ? number[0] : undefined, text: m[2]!.trim(), markup: rest(b, b.plain.slice(0, b.plain.length - m[2]!.length)) };
}

const isHeading = (b: ParagraphBlock) => /^h[1-4]$/.test(b.tag);
/** A numbered paragraph that reads as a heading: a heading style, or a short line that does not end as a sentence. */
const readsAsHeading = (b: ParagraphBlock, text: string) => isHeading(b) || (text.length <= 120 && !/[.;:!?…,]$/u.test(text) && !text.includes('\n'));

export function draftStructure(blocks: readonly Block[]): DraftStructure {
  const clauses: Clause[] = [];
  const written: Record<string, string> = {};
  const dropped: Dropped[] = [];
  const notices: Notice[] = [];
  /** path[d]: the index of the open clause at depth d. */
  const path: number[] = [];
  /** The numbers of the open clauses as the file writes them, by depth. */
  const openNumbers: string[] = [];
  let zone: 'front' | 'main' | 'annex' | 'bibliography' = 'front';
  let section: 'terms' | 'references' | undefined;
  let pendingCaption: string | undefined;
  let pendingNotes: { kind: 'note' | 'example'; next: number; depth: number } | undefined;
  let pendingNoteBody: number | undefined;
  let pendingAnnex: { index: number; stage: 'status' | 'heading' } | undefined;
  let lastWasList = false;

  const where = () => {
    for (let d = path.length - 1; d >= 0; d--) {
      const w = written[clauses[path[d]!]!.key];
      if (w) return w;
      const c = clauses[path[d]!]!;
      if (c.heading) return cut(c.heading, 60);
    }
    return '';
  };
  const drop = (kind: DroppedKind, count: number) => {
    if (count <= 0) return;
    const at = where();
    const same = dropped.find((d) => d.kind === kind && d.where === at);
    if (same) same.count += count;
    else dropped.push({ kind, count, where: at });
  };
  const notice = (code: NoticeCode, params?: Notice['params']) => notices.push({ code, where: where(), ...(params ? { params } : {}) });

  /** Puts a clause at the depth asked for, or as deep as the open clauses allow (a leaf contains nothing). */
  const place = (c: Omit<Clause, 'key' | 'depth'>, depth: number, number = ''): Clause => {
    let d = Math.min(depth, path.length);
    while (d > 0 && !isContainer(clauses[path[d - 1]!]!.kind)) d--;
    const clause = { key: newClauseKey(), depth: d, ...c } as Clause;
    clauses.push(clause);
    written[clause.key] = number;
    path.length = d;
    path.push(clauses.length - 1);
    openNumbers.length = d;
    openNumbers.push(number);
    if (number && d !== depth) notice('depthClosedUp', { number });
    return clause;
  };
  /** The open clause a plain paragraph continues: a term's definition, a bibliography entry, or the innermost clause that holds text. */
  const owner = (): Clause | undefined => {
    const last = path.length ? clauses[path[path.length - 1]!]! : undefined;
    if (last && (last.kind === 'term' || last.kind === 'bibliography')) return last;
    for (let d = path.length - 1; d >= 0; d--) if (isContainer(clauses[path[d]!]!.kind)) return clauses[path[d]!]!;
    return undefined;
  };
  const childOfOwner = () => {
    for (let d = path.length - 1; d >= 0; d--) if (isContainer(clauses[path[d]!]!.kind)) return d + 1;
    return 0;
  };
  const appendText = (c: Clause, text: string, list: boolean) => {
    if (c.kind === 'term' && c.term) {
      c.term.definition = cut(`${c.term.definition}\n\n${text}`, 5000);
      return;
    }
    const sep = c.body ? (list ? '\n' : '\n\n') : '';
    if (c.kind === 'section' || c.kind === 'text' || c.kind === 'requirement') {
      const last = clauses[clauses.length - 1];
      if (last !== c && last && clauses.indexOf(last) > clauses.indexOf(c) && !c.body?.endsWith(text)) {
        if (!notices.some((n) => n.code === 'textAfterChildren' && n.where === (written[c.key] || c.heading))) notices.push({ code: 'textAfterChildren', where: written[c.key] || cut(c.heading ?? '', 60) });
      }
    }
    c.body = cut(`${c.body ?? ''}${sep}${text}`, MAX.body);
  };

  const numberedClause = (b: ParagraphBlock, n: Numbered): boolean => {
    // A number counts when it continues what is open: one of its ancestors is an open clause («4.1» under
    // «4»; «4.1.1.1» under «4.1», one level closed up), or it is a new top-level number in the body.
    // Anything else («1 Значения …» in the middle of a clause) is text.
    const parent = n.parts.slice(0, -1).join('.');
    let depth: number;
    if (n.annex) {
      if (zone !== 'annex' || n.parts[0] !== openNumbers[0]) return false;
      depth = n.parts.length - 1;
    } else {
      if (zone === 'annex' || zone === 'bibliography') return false;
      if (parent === '') {
        const top = Number(openNumbers[0] ?? 0) || 0;
        if (clauses.length && !(Number(n.number) > top)) return false;
      } else if (!b.facts?.outline && !n.parts.slice(0, -1).some((_, k) => openNumbers.includes(n.parts.slice(0, k + 1).join('.')))) return false;
      depth = n.parts.length - 1;
    }
    zone = zone === 'front' ? 'main' : zone;
    if (depth === 0) section = TERMS_SECTION.test(n.text) ? 'terms' : REFERENCES_SECTION.test(n.text) ? 'references' : undefined;
    pendingNotes = undefined;
    if (section === 'terms' && depth >= 1 && !isHeading(b)) {
      const t = TERM.exec(n.text);
      if (t) {
        const definition = rest({ ...b, plain: n.text, text: n.markup }, n.text.slice(0, n.text.length - t[3]!.length));
        place({ kind: 'term', term: { ru: cut(t[1]!.trim(), 300), ...(t[2] ? { en: cut(t[2].trim(), 300) } : {}), definition: cut(definition, 5000) } }, depth, n.number);
        return true;
      }
      notice('termWithoutDefinition', { number: n.number });
    }
    if (readsAsHeading(b, n.text)) place({ kind: 'section', heading: cut(n.text.replace(/\s*\n\s*/g, ' '), MAX.heading) }, depth, n.number);
    else place({ kind: 'text', body: cut(n.markup, MAX.body) }, depth, n.number);
    return true;
  };

  const annexSection = (letter: string, after: string) => {
    zone = 'annex';
    section = undefined;
    pendingNotes = undefined;
    const lines = after.split('\n').map((l) => l.trim()).filter(Boolean);
    let status: 'normative' | 'informative' = 'normative';
    let heading = '';
    let stage: 'status' | 'heading' | undefined = 'status';
    const joined = lines.join(' ');
    const s = ANNEX_STATUS.exec(joined);
    if (s) {
      status = /^(обязательное|normative)$/iu.test(s[1]!) ? 'normative' : 'informative';
      heading = s[2]!.trim();
      stage = heading ? undefined : 'heading';
    } else if (joined) {
      heading = joined;
      stage = undefined;
    }
    const c = place({ kind: 'section', annex: status, heading: cut(heading || `Приложение ${letter}`, MAX.heading) }, 0, letter);
    pendingAnnex = stage ? { index: clauses.indexOf(c), stage } : undefined;
  };

  const paragraph = (b: ParagraphBlock) => {
    const f = b.facts;
    drop('image', f?.images ?? 0);
    drop('formula', f?.formulas ?? 0);
    drop('footnote', f?.footnotes ?? 0);
    drop('comment', f?.comments ?? 0);
    drop('textBox', f?.textBoxes ?? 0);
    const text = b.plain.trim();
    if (!text) return;
    // An annex's label may come from Word's list too («Приложение %1» lettered «А», «Б»…).
    const annexLabel = !!f?.label && ANNEX.test(f.label);
    const listItem = !annexLabel && (b.cls === 'list' || (!!f?.label && !f.outline));
    const wasList = lastWasList;
    lastWasList = false;

    // The lines under an annex's label: its status, then its heading.
    if (pendingAnnex) {
      const annex = clauses[pendingAnnex.index]!;
      const s = ANNEX_STATUS.exec(text);
      if (pendingAnnex.stage === 'status' && s) {
        annex.annex = /^(обязательное|normative)$/iu.test(s[1]!) ? 'normative' : 'informative';
        if (s[2]!.trim()) { annex.heading = cut(s[2]!.trim(), MAX.heading); pendingAnnex = undefined; }
        else pendingAnnex.stage = 'heading';
        return;
      }
      if (!numberOf(b) && !ANNEX.test(text) && text.length <= MAX.heading) {
        annex.heading = cut(text.replace(/\s*\n\s*/g, ' '), MAX.heading);
        pendingAnnex = undefined;
        return;
      }
      pendingAnnex = undefined;
    }

    const annex = ANNEX.exec(annexLabel ? `${f!.label}\n${text}` : text);
    if (annex && text.length <= 600 && (isHeading(b) || b.cls === 'title' || !/[.;]$/u.test(text))) return annexSection(cyrillic(annex[1]!), annex[2]!);
    if (BIBLIOGRAPHY.test(text)) {
      zone = 'bibliography';
      section = undefined;
      pendingNotes = undefined;
      place({ kind: 'section', unnumbered: true, heading: 'Библиография' === text || 'БИБЛИОГРАФИЯ' === text ? 'Библиография' : 'Bibliography' }, 0);
      return;
    }
    if (UNNUMBERED.test(text) && (isHeading(b) || zone === 'front') && !clauses.some((c) => c.depth === 0 && !c.unnumbered)) {
      place({ kind: 'section', unnumbered: true, heading: text }, 0);
      zone = 'main';
      return;
    }
    if (zone === 'bibliography') {
      const e = BIB_ENTRY.exec(text);
      if (e) { place({ kind: 'bibliography', body: cut(rest(b, text.slice(0, text.length - e[2]!.length)), MAX.body) }, 1); return; }
    }
    // «Примечания» over numbered lines: «1 …», «2 …» are notes, not clauses.
    if (pendingNotes) {
      const m = /^(\d{1,2})[.)]?\s+(\S[\s\S]*)$/u.exec(text);
      if (m && Number(m[1]) === pendingNotes.next && !f?.outline) {
        pendingNotes.next++;
        place({ kind: pendingNotes.kind, body: cut(rest(b, text.slice(0, text.length - m[2]!.length)), MAX.body) }, pendingNotes.depth);
        return;
      }
      pendingNotes = undefined;
    }
    const n = numberOf(b);
    if (n && !listItem && numberedClause(b, n)) return;
    if (n && f?.outline && numberedClause(b, n)) return;
    if (zone === 'front') {
      if (isHeading(b) && b.cls !== 'title') {
        // A heading with no number before any clause: the draft numbers nothing; it is a clause of its own.
        zone = 'main';
        place({ kind: 'section', heading: cut(text, MAX.heading) }, Number(b.tag.slice(1)) - 1);
        return;
      }
      drop('frontMatter', 1);
      return;
    }
    if (isHeading(b) && !n && b.cls !== 'title') {
      place({ kind: 'section', heading: cut(text, MAX.heading) }, Math.min(Number(b.tag.slice(1)) - 1, path.length));
      pendingNotes = undefined;
      return;
    }
    if (b.cls === 'caption' || FIGURE_CAPTION.test(text)) {
      const t = TABLE_CAPTION.exec(text);
      if (t) { pendingCaption = (t[2] ?? '').trim(); return; }
      drop('figureCaption', 1);
      return;
    }
    const caption = TABLE_CAPTION.exec(text);
    if (caption && text.length <= 500) { pendingCaption = (caption[2] ?? '').trim(); return; }

    // Notes and examples: «Примечание — …», «Примечание 2 …», or «Примечания» over numbered lines.
    if (pendingNoteBody !== undefined) {
      const c = clauses[pendingNoteBody]!;
      c.body = cut(b.text, MAX.body);
      pendingNoteBody = undefined;
      return;
    }
    const note = NOTE.exec(text);
    if (note && (note[3]!.trim() || plural(note[1]!) || note[2] || text.length < 20)) {
      const kind = isNoteKind(note[1]!);
      const body = note[3]!.trim() ? rest(b, text.slice(0, text.length - note[3]!.length)) : '';
      if (!body && plural(note[1]!)) { pendingNotes = { kind, next: 1, depth: childOfOwner() }; return; }
      const c = place({ kind, body: cut(body, MAX.body) }, childOfOwner());
      if (!body) pendingNoteBody = clauses.indexOf(c);
      return;
    }
    // The entries of «Нормативные ссылки».
    if (section === 'references') {
      const r = REFERENCE.exec(text);
      if (r) { place({ kind: 'reference', reference: { designation: cut(r[1]!.replace(/\s+/g, ' '), 100), title: cut(r[2]!.trim().replace(/\s*\n\s*/g, ' '), 1000) } }, childOfOwner()); return; }
    }
    const into = owner();
    if (!into) return drop('frontMatter', 1);
    let line = b.text;
    if (listItem) {
      const label = f?.label && !f.outline && f.label !== '•' ? f.label : '–';
      line = `${label} ${b.text}`;
    }
    lastWasList = listItem;
    // A plain paragraph after a leaf (a note, a table, a reference) continues the clause that holds it.
    appendText(into, line, listItem && wasList);
  };

  const table = (t: TableBlock) => {
    drop('image', t.images);
    if (zone === 'front' || clauses.length === 0) { drop('frontMatter', 1); pendingCaption = undefined; return; }
    lastWasList = false;
    pendingNotes = undefined;
    const rows = t.rows.filter((r) => r.some((c) => c.trim() !== ''));
    if (rows.length === 0) { drop('emptyTable', 1); pendingCaption = undefined; return; }
    const width = Math.min(MAX.columns, Math.max(...rows.map((r) => r.length)));
    if (rows.some((r) => r.length > MAX.columns) || rows.length - 1 > MAX.rows) notice('tableCut', { columns: MAX.columns, rows: MAX.rows });
    let cellCut = false;
    const fit = (r: string[]) => Array.from({ length: width }, (_, i) => {
      const cell = r[i] ?? '';
      if (cell.length > MAX.cell) cellCut = true;
      return cut(cell, MAX.cell);
    });
    const [header, ...body] = rows;
    const c = place({ kind: 'table', table: { ...(pendingCaption ? { caption: cut(pendingCaption, 500) } : {}), header: fit(header!).map((h) => cut(h, 1000)), rows: body.slice(0, MAX.rows).map(fit) } }, childOfOwner());
    if (cellCut) notice('cellCut', { max: MAX.cell });
    void c;
    pendingCaption = undefined;
  };

  for (const b of blocks) {
    if (b.type === 'table') table(b);
    else paragraph(b);
  }

  // Accord numbers the clauses itself; where its number is not the file's, the preview says so.
  const labels = numberClauses(clauses);
  for (const c of clauses) {
    const w = written[c.key];
    const mine = labels.get(c.key)?.number;
    if (w && mine !== undefined && mine !== w && !(c.annex && mine === w)) notices.push({ code: 'numberDiffers', where: w, params: { written: w, accord: mine } });
  }
  return { clauses, written, dropped, notices };
}

/** The kinds a structure has, counted (for the preview's summary). */
export function kindCounts(clauses: readonly Clause[]): Partial<Record<ClauseKind, number>> {
  const out: Partial<Record<ClauseKind, number>> = {};
  for (const c of clauses) out[c.kind] = (out[c.kind] ?? 0) + 1;
  return out;
}

/** A structure is one when it has at least one section or numbered clause (not only text). */
export const hasStructure = (s: DraftStructure) => s.clauses.some((c) => c.kind === 'section' || c.kind === 'text' || c.kind === 'term');
export { OUTLINE_NUMBER };
