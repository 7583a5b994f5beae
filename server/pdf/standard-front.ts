// The standard's front matter as GOST 1.5 sets it: the cover (with the designation or the draft's stage,
// and on a published text the QR code of its verification page) and the foreword. Tagged: the title an
// H1 (the English one a P in English), the QR code a Figure with its alternate text, its link a Link.
import QRCode from 'qrcode';
import { fill } from './assets.js';
import { DRAFT_RED } from './decorations.js';
import { MM } from './layout.js';
import { BODY, BODY_LEADING, H2, INDENT, SMALL, SMALL_LEADING, gostDate, revisionName, splitTitle, type StandardLayout } from './standard-layout.js';
import { layoutTable, type TableCell } from './table.js';
import { voteColumns } from './standard-view.js';
import type { StructNode } from './tagging.js';
import { num, type Span, type TextStyle } from './text.js';

export function drawCover(s: StandardLayout): void {
  const f = s.front;
  const { view, text } = s;
  f.newPage({ bare: true });
  const centre = (line: string, style: TextStyle, leading: number, spaceAfter = 0, tag?: StructNode) =>
    f.paragraph([{ text: line, style }], { leading, align: 'center', spaceAfter, together: true, tag });

  f.y = 18 * MM;
  centre((view.committee ?? text.committee).toUpperCase(), { face: 'sansBold', size: 11, tracking: 0.3 }, 14);
  centre(text.committeeEn, { face: 'sans', size: 9 }, 12, 0, f.tags.add('P', { lang: 'en' }));
  f.y += 3;
  f.rule(f.left, f.left + f.width, f.y, 1.6);
  f.rule(f.left, f.left + f.width, f.y + 2.5, 0.5);
  f.y += 14;
  drawCoverStage(s);

  f.y = Math.max(f.y, 78 * MM);
  centre(text.standardKind.toUpperCase(), { face: 'sansBold', size: 15, tracking: 1.2 }, 20, 34);

  const [group, rest] = splitTitle(view.titles.ru);
  const title = f.tags.add('H1');
  centre(group.toUpperCase(), { face: 'sansBold', size: 17 }, 22, 6, title);
  if (rest) centre(rest, { face: 'sansBold', size: 14 }, 18, 14, title);
  centre(view.titles.en, { face: 'serifItalic', size: 12 }, 15, 28, f.tags.add('P', { lang: 'en' }));

  const facts: string[] = [`${text.developerLabel}: ${view.developer}`];
  if (view.revisionDate && !view.published) facts.push(`${text.revisionDateLabel}: ${view.revisionDate}`);
  if (view.publicationDate) facts.push(`${text.publicationDateLabel}: ${view.publicationDate}`);
  for (const line of facts) centre(line, { face: 'serif', size: 11 }, 15);

  const bottom = f.bottom;
  if (view.published) {
    // A consolidated edition's note takes a line above the signature, never over the QR code.
    f.y = bottom - 52 * MM - (view.editionNote ? 13 : 0);
    centre(text.officialEdition, { face: 'sansBold', size: 12 }, 16);
    // A consolidated edition says which amendments it includes (docs/amendments.md).
    if (view.editionNote) centre(view.editionNote, { face: 'sans', size: 10 }, 13);
    if (view.signedBy) centre(view.signedBy, { face: 'sans', size: 8 }, 10);
    if (view.verifyUrl) drawQr(s, view.verifyUrl, f.left, bottom - 42 * MM, 26 * MM);
  } else {
    f.y = bottom - 40 * MM;
    centre(text.draftNotice, { face: 'serifItalic', size: 10 }, 13);
  }
  const year = (view.publicationDate ?? view.revisionDate ?? view.createdAt.toISOString()).slice(0, 4);
  f.y = bottom - 8 * MM;
  f.rule(f.left, f.left + f.width, f.y - 4, 0.5);
  centre(`${text.cities}  ${year}`, { face: 'sans', size: 11 }, 14);
}

/** The designation in its box at the right, or the draft's stage. */
function drawCoverStage(s: StandardLayout): void {
  const f = s.front;
  const { view, text } = s;
  const boxW = 62 * MM;
  const boxX = f.left + f.width - boxW;
  if (view.published && view.designation) {
    f.artifact(`q 0 0 0 RG 1.2 w ${num(boxX)} ${num(f.y)} ${num(boxW)} ${num(12 * MM)} re S Q`);
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
}

/** A QR code as filled squares (vector, no image), with the link printed under it. */
function drawQr(s: StandardLayout, url: string, x: number, y: number, size: number): void {
  const f = s.front;
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
  f.tag('Figure', () => f.op(ops.join('\n')), { alt: `${s.text.verifyCaption}: ${url}` });
  const saveY = f.y;
  f.y = y + size;
  const caption = [{ text: `${s.text.verifyCaption}: ${url}`, style: { face: 'sans' as const, size: 7 } }];
  f.tag('P', () => f.tag('Link', () => {
    const lines = f.paragraph(caption, { x: x - f.left, width: 70 * MM, leading: 9, align: 'left', tag: null });
    f.tags.link(f.page, { x, y: y + size, width: Math.max(...lines.map((l) => l.width)), height: lines.length * 9, uri: url, contents: `${s.text.verifyCaption}: ${url}` });
  }));
  f.y = saveY;
}

export function drawForeword(s: StandardLayout): void {
  const f = s.front;
  const { view, text } = s;
  const fw = text.foreword;
  f.newPage();
  s.outline.push({ title: fw.title, page: f.pageIndex, y: f.y, depth: 0, part: 'front' });
  f.paragraph([{ text: fw.title, style: { face: 'sansBold', size: 13 } }], { leading: 17, align: 'center', spaceAfter: 10, together: true, tag: 'H1' });
  f.paragraph([{ text: fw.intro, style: BODY }], { leading: BODY_LEADING, firstIndent: INDENT, spaceAfter: 10 });
  f.paragraph([{ text: fw.about, style: H2 }], { leading: 15, align: 'center', spaceAfter: 6, together: true, tag: 'H2' });

  let item = 0;
  const point = (head: string, rest: Span[]) => {
    item++;
    f.paragraph([{ text: `${item} ${head} `, style: BODY }, ...rest], { leading: BODY_LEADING, firstIndent: INDENT, spaceAfter: 6 });
  };
  point(fw.developed, [{ text: view.developer, style: BODY }]);
  point(fw.submitted, [{ text: fw.submittedBy, style: BODY }]);
  point(fw.adopted, [{ text: view.published ? `${fw.adoptedBy}${view.adoption ? ` (${view.adoption})` : ''}` : fw.adoptedPending, style: BODY }]);
  drawVotes(s);
  if (view.entryIntoForce?.length) {
    point(fw.entryIntoForce, []);
    for (const e of view.entryIntoForce) {
      f.paragraph([{ text: fill(fw.entryIntoForceLine, { country: e.country, date: gostDate(e.date) }), style: BODY }], { leading: BODY_LEADING, firstIndent: INDENT, spaceAfter: 2 });
    }
    f.space(4);
  } else point(fw.entryIntoForce, [{ text: fw.entryIntoForcePending, style: BODY }]);
  // A successor names the standard it supersedes; a first standard says so (docs/amendments.md).
  if (view.replaces) point(fw.replaces, [{ text: view.replaces, style: BODY }]);
  else point(fw.firstTime, []);
  f.space(6);
  f.rule(f.left, f.left + f.width, f.y, 0.5);
  f.space(6);
  f.paragraph([{ text: fw.notice, style: { face: 'serifItalic', size: 10 } }], { leading: SMALL_LEADING, firstIndent: INDENT });
}

/** The ballot's votes, country by country, when there are any. */
function drawVotes(s: StandardLayout): void {
  const f = s.front;
  const { view } = s;
  const fw = s.text.foreword;
  if (!view.votes?.length) return;
  f.paragraph([{ text: fw.votesIntro, style: BODY }], { leading: BODY_LEADING, firstIndent: INDENT, spaceAfter: 4 });
  const cell = (text: string, align: TableCell['align'] = 'left'): TableCell => ({ paragraphs: [[{ text, style: SMALL }]], align });
  // The bodies' column only when some body has a name: never an empty column (voteColumns).
  const keep = voteColumns(view.votes);
  const pick = <T,>(row: T[]) => row.filter((_, i) => keep[i]);
  layoutTable(f, {
    columns: pick([26, 13, 29, 17, 15]),
    header: [pick(fw.voteHeader.map((h) => cell(h, 'center')))],
    rows: view.votes.map((v) => pick([cell(v.country), cell(v.code, 'center'), cell(v.body ?? ''), cell(fw.votes[v.vote], 'center'), cell(v.date ? gostDate(v.date) : '', 'center')])),
    leading: SMALL_LEADING,
  });
  f.space(8);
}
