// The standard as GOST 1.5 sets it: cover, foreword, contents, the clauses with their derived numbers,
// tables that run over pages, notes, terms, references, annexes and bibliography; running header,
// «Страница N из M», bookmarks, metadata, and the draft mark on every page of an unpublished text.
import type { Readable } from 'node:stream';
import QRCode from 'qrcode';
import type { Block, Inline } from '../text/markup.js';
import { listMarker } from '../text/markup.js';
import { fill, type Boilerplate, type PdfAssets } from './assets.js';
import { DRAFT_RED, pageDecorations } from './decorations.js';
import { createPdf, streamPages, type OutlineEntry, type RenderOptions } from './document.js';
import { A4_PORTRAIT, Flow, MM, type LaidPage } from './layout.js';
import type { PdfClause, StandardPdfView } from './standard-view.js';
import { layoutTable, type TableCell } from './table.js';
import { bold, inlineSpans, italic, num, type Span, type TextStyle } from './text.js';

const INDENT = 10 * MM;
const BODY: TextStyle = { face: 'serif', size: 11 };
const BODY_LEADING = 14.5;
const SMALL: TextStyle = { face: 'serif', size: 10 };
const SMALL_LEADING = 12.6;
const H1: TextStyle = { face: 'sansBold', size: 12 };
const H2: TextStyle = { face: 'sansBold', size: 11 };

interface ContentsEntry { text: string; depth: number; page: number }
/** A bookmark while the parts are laid out separately: its page counts within its part. */
type Mark = OutlineEntry & { part: 'front' | 'contents' | 'body' };

/** «первая редакция», «редакция 12». */
export function revisionName(text: Boilerplate, n: number): string {
  const ordinal = text.revisionOrdinals[n - 1];
  return ordinal ? `${ordinal} ${text.revisionWord}` : `${text.revisionWord} ${n}`;
}

/** GOST writes dates of entry into force as 2027—07—01. */
const gostDate = (iso: string) => iso.replace(/-/g, '—');

/** «СТ СГ 12—2027» once designated; «Проект, первая редакция» until then. */
export function runningHead(view: StandardPdfView, text: Boilerplate): string {
  if (view.published && view.designation) return view.designation;
  const draft = `${text.draft}, ${revisionName(text, view.revision)}`;
  return view.designation ? `${view.designation} (${draft.toLowerCase()})` : draft;
}

/** The title split as GOST sets it: the product group in capitals, then the rest. */
function splitTitle(title: string): [string, string] {
  const at = title.indexOf('. ');
  return at > 0 ? [title.slice(0, at), title.slice(at + 2)] : [title, ''];
}

class StandardLayout {
  readonly front: Flow;
  readonly body: Flow;
  readonly contents: ContentsEntry[] = [];
  readonly outline: Mark[] = [];
  private readonly refLabel: (key: string) => string | undefined;

  constructor(private readonly view: StandardPdfView, private readonly text: Boilerplate, faces: ConstructorParameters<typeof Flow>[0]) {
    this.front = new Flow(faces, A4_PORTRAIT);
    this.body = new Flow(faces, A4_PORTRAIT);
    this.refLabel = (key) => view.refs[key];
  }

  spans(nodes: readonly Inline[], style: TextStyle = BODY): Span[] {
    return inlineSpans(nodes, style, this.refLabel);
  }

  // ---- cover -------------------------------------------------------------------------------------
  cover(): void {
    const f = this.front;
    const { view, text } = this;
    f.newPage({ bare: true });
    const centre = (s: string, style: TextStyle, leading: number, spaceAfter = 0) =>
      f.paragraph([{ text: s, style }], { leading, align: 'center', spaceAfter, together: true });

    f.y = 18 * MM;
    centre((view.committee ?? text.committee).toUpperCase(), { face: 'sansBold', size: 11, tracking: 0.3 }, 14);
    centre(text.committeeEn, { face: 'sans', size: 9 }, 12);
    f.y += 3;
    f.rule(f.left, f.left + f.width, f.y, 1.6);
    f.rule(f.left, f.left + f.width, f.y + 2.5, 0.5);
    f.y += 14;

    // The designation in its box at the right, or the draft's stage.
    const boxW = 62 * MM;
    const boxX = f.left + f.width - boxW;
    if (view.published && view.designation) {
      f.op(`q 1.2 w ${num(boxX)} ${num(f.y)} ${num(boxW)} ${num(12 * MM)} re S Q`);
      const top = f.y;
      f.y += (12 * MM - 20) / 2;
      f.paragraph([{ text: view.designation, style: { face: 'sansBold', size: 16 } }], { x: boxX - f.left, width: boxW, leading: 20, align: 'center', together: true });
      f.y = top + 12 * MM + 6;
    } else {
      const draft = `${text.draft.toUpperCase()}, ${revisionName(text, view.revision)}`;
      f.paragraph([{ text: draft, style: { face: 'sansBold', size: 12, color: DRAFT_RED } }], { x: f.width - boxW, width: boxW, leading: 15, align: 'right', together: true });
      f.paragraph([{ text: `${text.stage} ${view.stage}`, style: { face: 'sans', size: 10 } }], { x: f.width - boxW, width: boxW, leading: 13, align: 'right', together: true });
      if (view.designation) f.paragraph([{ text: view.designation, style: { face: 'sans', size: 10 } }], { x: f.width - boxW, width: boxW, leading: 13, align: 'right', together: true });
    }

    f.y = Math.max(f.y, 78 * MM);
    centre(text.standardKind.toUpperCase(), { face: 'sansBold', size: 15, tracking: 1.2 }, 20, 34);

    const [group, rest] = splitTitle(view.titles.ru);
    centre(group.toUpperCase(), { face: 'sansBold', size: 17 }, 22, 6);
    if (rest) centre(rest, { face: 'sansBold', size: 14 }, 18, 14);
    centre(view.titles.en, { face: 'serifItalic', size: 12 }, 15, 28);

    const facts: string[] = [`${text.developerLabel}: ${view.developer}`];
    if (view.revisionDate && !view.published) facts.push(`${text.revisionDateLabel}: ${view.revisionDate}`);
    if (view.publicationDate) facts.push(`${text.publicationDateLabel}: ${view.publicationDate}`);
    for (const line of facts) centre(line, { face: 'serif', size: 11 }, 15);

    const bottom = f.bottom;
    if (view.published) {
      f.y = bottom - 52 * MM;
      centre(text.officialEdition, { face: 'sansBold', size: 12 }, 16);
      if (view.verifyUrl) this.qr(view.verifyUrl, f.left, bottom - 42 * MM, 26 * MM);
    } else {
      f.y = bottom - 40 * MM;
      centre(text.draftNotice, { face: 'serifItalic', size: 10 }, 13);
    }
    const year = (view.publicationDate ?? view.revisionDate ?? view.createdAt.toISOString()).slice(0, 4);
    f.y = bottom - 8 * MM;
    f.rule(f.left, f.left + f.width, f.y - 4, 0.5);
    centre(`${text.cities}  ${year}`, { face: 'sans', size: 11 }, 14);
  }

  /** A QR code as filled squares (vector, no image), with the link printed under it. */
  private qr(url: string, x: number, y: number, size: number): void {
    const f = this.front;
    const code = QRCode.create(url, { errorCorrectionLevel: 'M' });
    const n = code.modules.size;
    const cell = size / (n + 8);
    const ops = ['q 0 0 0 rg'];
    for (let r = 0; r < n; r++) {
      let c = 0;
      while (c < n) {
        if (!code.modules.get(r, c)) { c++; continue; }
        const start = c;
        while (c < n && code.modules.get(r, c)) c++;
        ops.push(`${num(x + (start + 4) * cell)} ${num(y + (r + 4) * cell)} ${num((c - start) * cell)} ${num(cell)} re`);
      }
    }
    ops.push('f Q');
    f.op(ops.join('\n'));
    const saveY = f.y;
    f.y = y + size;
    f.paragraph([{ text: `${this.text.verifyCaption}: ${url}`, style: { face: 'sans', size: 7 } }], { x: x - f.left, width: 70 * MM, leading: 9, align: 'left' });
    f.y = saveY;
  }

  // ---- foreword ----------------------------------------------------------------------------------
  foreword(): void {
    const f = this.front;
    const { view, text } = this;
    const fw = text.foreword;
    f.newPage();
    this.outline.push({ title: fw.title, page: f.pageIndex, y: f.y, depth: 0, part: 'front' });
    f.paragraph([{ text: fw.title, style: { face: 'sansBold', size: 13 } }], { leading: 17, align: 'center', spaceAfter: 10, together: true });
    f.paragraph([{ text: fw.intro, style: BODY }], { leading: BODY_LEADING, firstIndent: INDENT, spaceAfter: 10 });
    f.paragraph([{ text: fw.about, style: H2 }], { leading: 15, align: 'center', spaceAfter: 6, together: true });

    let item = 0;
    const point = (head: string, rest: Span[]) => {
      item++;
      f.paragraph([{ text: `${item} ${head} `, style: BODY }, ...rest], { leading: BODY_LEADING, firstIndent: INDENT, spaceAfter: 6 });
    };
    point(fw.developed, [{ text: view.developer, style: BODY }]);
    point(fw.submitted, [{ text: fw.submittedBy, style: BODY }]);
    point(fw.adopted, [{ text: view.published ? `${fw.adoptedBy}${view.adoption ? ` (${view.adoption})` : ''}` : fw.adoptedPending, style: BODY }]);
    if (view.votes?.length) {
      f.paragraph([{ text: fw.votesIntro, style: BODY }], { leading: BODY_LEADING, firstIndent: INDENT, spaceAfter: 4 });
      const cell = (s: string, align: TableCell['align'] = 'left'): TableCell => ({ paragraphs: [[{ text: s, style: SMALL }]], align });
      layoutTable(f, {
        columns: [30, 14, 36, 12, 16],
        header: [fw.voteHeader.map((h) => cell(h, 'center'))],
        rows: view.votes.map((v) => [cell(v.country), cell(v.code, 'center'), cell(v.body ?? ''), cell(fw.votes[v.vote], 'center'), cell(v.date ?? '', 'center')]),
        leading: SMALL_LEADING,
      });
      f.space(8);
    }
    if (view.entryIntoForce?.length) {
      point(fw.entryIntoForce, []);
      for (const e of view.entryIntoForce) {
        f.paragraph([{ text: fill(fw.entryIntoForceLine, { country: e.country, date: gostDate(e.date) }), style: BODY }], { leading: BODY_LEADING, firstIndent: INDENT, spaceAfter: 2 });
      }
      f.space(4);
    } else point(fw.entryIntoForce, [{ text: fw.entryIntoForcePending, style: BODY }]);
    point(fw.firstTime, []);
    f.space(6);
    f.rule(f.left, f.left + f.width, f.y, 0.5);
    f.space(6);
    f.paragraph([{ text: fw.notice, style: { face: 'serifItalic', size: 10 } }], { leading: SMALL_LEADING, firstIndent: INDENT });
  }

  // ---- body --------------------------------------------------------------------------------------
  titleBlock(): void {
    const b = this.body;
    const { view, text } = this;
    b.newPage();
    const full = (y: number, w: number) => b.rule(b.left, b.left + b.width, y, w);
    full(b.y, 1.2);
    b.y += 4;
    b.paragraph([{ text: text.standardKind.toUpperCase(), style: { face: 'sansBold', size: 11, tracking: 1 } }], { leading: 15, align: 'center', together: true });
    b.y += 2;
    full(b.y, 0.5);
    b.y += 8;
    const [group, rest] = splitTitle(view.titles.ru);
    b.paragraph([{ text: group.toUpperCase(), style: { face: 'sansBold', size: 13 } }], { leading: 17, align: 'center', together: true });
    if (rest) b.paragraph([{ text: rest, style: { face: 'sansBold', size: 12 } }], { leading: 16, align: 'center', together: true });
    b.paragraph([{ text: view.titles.en, style: { face: 'serifItalic', size: 11 } }], { leading: 15, align: 'center', spaceBefore: 4, together: true });
    b.y += 6;
    full(b.y, 1.2);
    b.y += 6;
    const first = view.entryIntoForce?.map((e) => e.date).sort()[0];
    if (first) b.paragraph([{ text: `${text.dateOfEntry} — ${gostDate(first)}`, style: { face: 'sansBold', size: 10 } }], { leading: 14, align: 'right', spaceAfter: 12, together: true });
    else b.space(12);
  }

  private blocks(blocks: readonly Block[], first: Span[], style: TextStyle, leading: number, spaceAfter: number): void {
    const b = this.body;
    if (blocks.length === 0 && first.length) {
      b.paragraph(first, { leading, firstIndent: INDENT, spaceAfter });
      return;
    }
    blocks.forEach((block, i) => {
      const lead = i === 0 ? first : [];
      if (block.type === 'paragraph') {
        b.paragraph([...lead, ...this.spans(block.content, style)], { leading, firstIndent: INDENT, spaceAfter });
      } else {
        if (lead.length) b.paragraph(lead, { leading, firstIndent: INDENT, align: 'left' });
        block.items.forEach((item, n) => {
          b.paragraph([{ text: `${listMarker(block.style, n)} `, style }, ...this.spans(item, style)], { leading, firstIndent: INDENT, spaceAfter: n === block.items.length - 1 ? spaceAfter : 1 });
        });
      }
    });
  }

  private heading(c: PdfClause, style: TextStyle, leading: number, before: number): void {
    const b = this.body;
    const title = [c.label, c.heading].filter(Boolean).join(' ');
    b.space(before);
    b.ensure(leading * 2 + BODY_LEADING * 2);
    this.mark(c, title, c.depth);
    b.paragraph([{ text: title, style }], { leading, firstIndent: INDENT, align: 'left', spaceAfter: 5, keepWithNext: BODY_LEADING * 2 });
  }

  /** Records a heading for the contents (two levels) and the bookmarks (every level). */
  private mark(c: PdfClause, title: string, depth: number): void {
    const b = this.body;
    this.outline.push({ title, page: b.pageIndex, y: b.y, depth, part: 'body' });
    if (depth <= 1) this.contents.push({ text: title, depth, page: b.pageIndex });
  }

  clause(c: PdfClause): void {
    const b = this.body;
    const label = (extra: Span[] = []): Span[] => (c.label ? [{ text: `${c.label} `, style: BODY }, ...extra] : extra);
    switch (c.kind) {
      case 'section': {
        if (c.depth === 0 && c.annexStatus) {
          b.newPage();
          const title = `${c.label} ${c.annexStatus} ${c.heading ?? ''}`.trim();
          this.mark(c, title, 0);
          b.paragraph([{ text: c.label ?? '', style: H1 }], { leading: 16, align: 'center', together: true });
          b.paragraph([{ text: c.annexStatus, style: BODY }], { leading: 15, align: 'center', together: true });
          if (c.heading) b.paragraph([{ text: c.heading, style: H1 }], { leading: 16, align: 'center', spaceBefore: 4, together: true });
          b.space(10);
        } else if (c.depth === 0 && c.unnumbered) {
          b.newPage();
          this.mark(c, c.heading ?? '', 0);
          b.paragraph([{ text: c.heading ?? '', style: { face: 'sansBold', size: 13 } }], { leading: 17, align: 'center', spaceAfter: 10, together: true });
        } else if (c.depth === 0) this.heading(c, H1, 16, 14);
        else this.heading(c, H2, 15, 8);
        if (c.blocks) this.blocks(c.blocks, [], BODY, BODY_LEADING, 4);
        return;
      }
      case 'text': {
        const head = c.heading ? [{ text: `${c.heading}. `, style: bold(BODY) }] : [];
        this.blocks(c.blocks ?? [], label(head), BODY, BODY_LEADING, 4);
        return;
      }
      case 'requirement': {
        const r = c.requirement!;
        const head = c.heading ? [{ text: `${c.heading}. `, style: bold(BODY) }] : [];
        const lead = label(head);
        if (c.blocks?.length) this.blocks(c.blocks, lead, BODY, BODY_LEADING, 3);
        else b.paragraph([...lead, { text: r.parameter, style: BODY }], { leading: BODY_LEADING, firstIndent: INDENT, spaceAfter: 3, keepWithNext: 40 });
        const cell = (spans: Span[], align: TableCell['align'] = 'left'): TableCell => ({ paragraphs: [spans], align });
        const [hp, hv, hm] = this.text.requirementHeader;
        layoutTable(b, {
          columns: [50, 30, 20],
          x: INDENT,
          header: [[cell([{ text: hp!, style: { face: 'sans', size: 9 } }], 'center'), cell([{ text: hv!, style: { face: 'sans', size: 9 } }], 'center'), cell([{ text: hm!, style: { face: 'sans', size: 9 } }], 'center')]],
          rows: [[cell([{ text: r.parameter, style: SMALL }]), cell(this.spans(r.value, SMALL), 'center'), cell([{ text: r.method ? `${this.text.methodPrefix} ${r.method}` : '—', style: SMALL }], 'center')]],
          leading: SMALL_LEADING,
          lineWidth: 0.4,
        });
        b.space(6);
        return;
      }
      case 'note':
      case 'example': {
        const noun = c.label ?? '';
        const lead: Span[] = [{ text: noun, style: { ...SMALL, tracking: 1.6 } }, { text: ' — ', style: SMALL }];
        b.space(2);
        this.blocks(c.blocks ?? [], lead, SMALL, SMALL_LEADING, 4);
        return;
      }
      case 'table': {
        const t = c.table!;
        const tableNo = c.label?.replace(/^\S+\s/, '') ?? '';
        const caption: Span[] = [{ text: c.label ?? '', style: BODY }, ...(t.caption ? [{ text: ' — ', style: BODY }, ...this.spans(t.caption)] : [])];
        const small = { ...SMALL };
        b.space(4);
        layoutTable(b, {
          columns: 'auto',
          header: [t.header.map((h) => ({ paragraphs: [this.spans(h, small)], align: 'center' as const }))],
          rows: t.rows.map((row) => t.header.map((_, i) => ({ paragraphs: [this.spans(row[i] ?? [], small)] }))),
          leading: SMALL_LEADING,
          caption: { spans: caption },
          continuation: (last) => [{ text: fill(last ? this.text.continuationLast : this.text.continuation, { n: tableNo }), style: italic(BODY) }],
          captionLeading: BODY_LEADING,
        });
        b.space(8);
        return;
      }
      case 'term': {
        const t = c.term!;
        const lead = label([{ text: t.ru, style: bold(BODY) }, ...(t.en ? [{ text: ` (${t.en})`, style: BODY }] : []), { text: ': ', style: BODY }]);
        b.paragraph([...lead, ...this.spans(t.definition)], { leading: BODY_LEADING, firstIndent: INDENT, spaceAfter: 4 });
        return;
      }
      case 'reference': {
        const r = c.reference!;
        b.paragraph([{ text: `${r.designation} `, style: BODY }, { text: r.title, style: BODY }], { leading: BODY_LEADING, firstIndent: INDENT, spaceAfter: 2 });
        return;
      }
      case 'bibliography': {
        this.blocks(c.blocks ?? [], label(), BODY, BODY_LEADING, 4);
        return;
      }
    }
  }

  closing(): void {
    const b = this.body;
    const { view, text } = this;
    if (!view.ics && !view.keywords?.length) return;
    b.space(18);
    b.ensure(60);
    b.rule(b.left, b.left + b.width, b.y, 1);
    b.y += 6;
    if (view.ics) b.paragraph([{ text: `${text.ics} ${view.ics}`, style: { face: 'sans', size: 10 } }], { leading: 14, align: 'left' });
    if (view.keywords?.length) {
      b.paragraph([{ text: `${text.keywords}: `, style: { face: 'sansBold', size: 10 } }, { text: view.keywords.join(', '), style: { face: 'sans', size: 10 } }], { leading: 14, firstIndent: INDENT, spaceBefore: 4 });
    }
    b.y += 4;
    b.rule(b.left, b.left + b.width, b.y, 1);
  }

  /** The contents, with page numbers given by the caller (the body's place is known only afterwards). */
  layoutContents(flow: Flow, pageOf: (e: ContentsEntry) => number): void {
    flow.newPage();
    this.outline.push({ title: this.text.contents, page: 0, y: flow.y, depth: 0, part: 'contents' });
    flow.paragraph([{ text: this.text.contents, style: { face: 'sansBold', size: 13 } }], { leading: 17, align: 'center', spaceAfter: 10, together: true });
    const numberColumn = 28;
    const dot = { face: 'serif' as const, size: 11 };
    const dotWidth = flow.m.width('.', dot) + 2.2;
    for (const e of this.contents) {
      const indent = e.depth * INDENT;
      const width = flow.width - numberColumn - indent - 8;
      const lines = flow.lines([{ text: e.text, style: BODY }], width, 0, e.depth === 0 ? INDENT * 0.6 : 0);
      flow.ensure(lines.length * BODY_LEADING);
      lines.forEach((line, i) => {
        flow.drawLine(line, flow.left + indent, flow.y, BODY_LEADING, 'left');
        if (i === lines.length - 1) {
          const endX = flow.left + indent + line.indent + line.width + 4;
          const dots = Math.max(0, Math.floor((flow.left + flow.width - numberColumn - endX) / dotWidth));
          if (dots > 0) {
            flow.drawLine({ runs: [{ text: '.'.repeat(dots), style: { ...dot, tracking: 2.2 }, width: dots * dotWidth }], width: dots * dotWidth, spaces: 0, indent: 0, available: dots * dotWidth, last: true }, endX, flow.y, BODY_LEADING, 'left');
          }
          const n = String(pageOf(e));
          const w = flow.m.width(n, BODY);
          flow.drawLine({ runs: [{ text: n, style: BODY, width: w }], width: w, spaces: 0, indent: 0, available: numberColumn, last: true }, flow.left + flow.width - numberColumn, flow.y, BODY_LEADING, 'right');
        }
        flow.y += BODY_LEADING;
      });
      flow.y += e.depth === 0 ? 2 : 0;
    }
  }
}

export interface LaidOutStandard { pages: LaidPage[]; outline: OutlineEntry[]; contentsPage: number; bodyStart: number }

/** Lays out every page of the standard (pure: no PDF is written yet). */
export function layoutStandard(view: StandardPdfView, text: Boilerplate, faces: ConstructorParameters<typeof Flow>[0]): LaidOutStandard {
  const s = new StandardLayout(view, text, faces);
  s.cover();
  s.foreword();
  s.titleBlock();
  for (const c of view.clauses) s.clause(c);
  s.closing();

  // The contents' length does not depend on its page numbers (they sit in a column of their own), so a
  // first layout with any numbers tells how many pages it takes.
  const frontPages = s.front.pages.length;
  const trial = new Flow(faces, A4_PORTRAIT);
  const saved = s.outline.length;
  s.layoutContents(trial, () => 0);
  s.outline.length = saved;
  const contentsPages = trial.pages.length;
  const bodyStart = frontPages + contentsPages;
  const contents = new Flow(faces, A4_PORTRAIT);
  s.layoutContents(contents, (e) => bodyStart + e.page + 1);

  const offset = { front: 0, contents: frontPages, body: bodyStart };
  const order = { front: 0, contents: 1, body: 2 };
  const outline = s.outline
    .map((e, i) => ({ e, i }))
    .sort((a, b) => order[a.e.part] - order[b.e.part] || a.i - b.i)
    .map(({ e }) => ({ title: e.title, page: e.page + offset[e.part], y: e.y, depth: e.depth }));
  return { pages: [...s.front.pages, ...contents.pages, ...s.body.pages], outline, contentsPage: frontPages, bodyStart };
}

export function standardMetadata(view: StandardPdfView, text: Boilerplate) {
  const head = runningHead(view, text);
  return {
    title: `${head}. ${view.titles.ru}`,
    subject: `${text.standardKind}. ${view.titles.en}`,
    keywords: [view.designation, view.ics && `${text.ics} ${view.ics}`, ...(view.keywords ?? []), view.published ? undefined : text.draftMark].filter(Boolean).join('; '),
    author: view.developer,
    lang: 'ru' as const,
    createdAt: view.createdAt,
    modifiedAt: view.modifiedAt,
  };
}

/** The standard as a PDF stream; layout happens now, the bytes as the reader takes them. */
export function renderStandardPdf(view: StandardPdfView, assets: PdfAssets, options: RenderOptions = {}): Readable {
  const text = assets.text;
  const pdf = createPdf(standardMetadata(view, text), assets.fonts, options);
  const laid = layoutStandard(view, text, pdf.faces);
  const decorate = pageDecorations(pdf.faces, {
    running: runningHead(view, text),
    mark: view.published ? undefined : text.draftMark,
    footer: (n, m) => fill(text.pageOf, { n, m }),
  });
  return streamPages(pdf, laid.pages, decorate, laid.outline);
}
