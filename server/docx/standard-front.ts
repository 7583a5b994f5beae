// The standard's front matter in Word: the cover (designation or the draft's stage and the «ПРОЕКТ» mark),
// the foreword with the voting record and the dates of entry into force, and the contents — a TOC field
// that Word fills in when the file is opened, written already filled with the headings so that
// LibreOffice and other readers show the list too (docs/word.md).
import { AlignmentType, LeaderType, Paragraph, Table, TableCell, TableOfContents, TableRow, TextRun, WidthType, type FileChild } from 'docx';
import { fill, type Boilerplate } from '../pdf/assets.js';
import { gostDate, revisionName, splitTitle } from '../pdf/standard-layout.js';
import { voteColumns, type StandardPdfView } from '../pdf/standard-view.js';
import { DRAFT_RED, SANS, pt } from './styles.js';

const centred = (text: string, run: ConstructorParameters<typeof TextRun>[0] & object = {}, after = 120) =>
  new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after }, children: [new TextRun({ ...run, text })] });

/** The designation (or the draft's name and stage) at the top right of the cover. */
function coverStage(view: StandardPdfView, text: Boilerplate): Paragraph[] {
  const right = (t: string, run: object = {}) => new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { after: 60 }, children: [new TextRun({ ...run, text: t })] });
  if (view.published && view.designation) return [right(view.designation, { font: SANS, bold: true, size: pt(16) })];
  const lines = [right(`${text.draft.toUpperCase()}, ${revisionName(text, view.revision)}`, { font: SANS, bold: true, size: pt(12), color: DRAFT_RED }), right(`${text.stage} ${view.stage}`, { font: SANS, size: pt(10) })];
  if (view.designation) lines.push(right(view.designation, { font: SANS, size: pt(10) }));
  return lines;
}

export function cover(view: StandardPdfView, text: Boilerplate): FileChild[] {
  const [group, rest] = splitTitle(view.titles.ru);
  const facts = [`${text.developerLabel}: ${view.developer}`];
  if (view.revisionDate && !view.published) facts.push(`${text.revisionDateLabel}: ${view.revisionDate}`);
  if (view.publicationDate) facts.push(`${text.publicationDateLabel}: ${view.publicationDate}`);
  const year = (view.publicationDate ?? view.revisionDate ?? view.createdAt.toISOString()).slice(0, 4);
  return [
    centred((view.committee ?? text.committee).toUpperCase(), { font: SANS, bold: true, size: pt(11) }, 0),
    centred(text.committeeEn, { font: SANS, size: pt(9) }, 480),
    ...coverStage(view, text),
    new Paragraph({ spacing: { before: 1600 }, children: [] }),
    centred(text.standardKind.toUpperCase(), { font: SANS, bold: true, size: pt(15) }, 600),
    centred(group.toUpperCase(), { font: SANS, bold: true, size: pt(17) }, 120),
    ...(rest ? [centred(rest, { font: SANS, bold: true, size: pt(14) }, 240)] : []),
    centred(view.titles.en, { italics: true, size: pt(12) }, 480),
    ...facts.map((f) => centred(f, {}, 60)),
    new Paragraph({ spacing: { before: 1600 }, children: [] }),
    view.published ? centred(text.officialEdition, { font: SANS, bold: true, size: pt(12) }) : centred(text.draftNotice, { italics: true, size: pt(10) }),
    // A consolidated edition's note, as on the PDF's cover (docs/amendments.md).
    ...(view.published && view.editionNote ? [centred(view.editionNote, { font: SANS, size: pt(10) })] : []),
    ...(view.published && view.verifyUrl ? [centred(`${text.verifyCaption}: ${view.verifyUrl}`, { font: SANS, size: pt(8) })] : []),
    centred(`${text.cities}  ${year}`, { font: SANS, size: pt(11) }),
  ];
}

const body = (runs: TextRun[], after = 120) => new Paragraph({ style: 'AccordBody', spacing: { after }, children: runs });

/** The ballot's votes, country by country, when there are any. */
function votes(view: StandardPdfView, text: Boilerplate): FileChild[] {
  const fw = text.foreword;
  if (!view.votes?.length) return [];
  const cell = (t: string, bold = false) => new TableCell({ children: [new Paragraph({ style: 'AccordTableText', children: [new TextRun({ text: t, bold })] })] });
  const keep = voteColumns(view.votes);
  const pick = <T,>(row: T[]) => row.filter((_, i) => keep[i]);
  const rows = view.votes.map((v) => new TableRow({ children: pick([v.country, v.code, v.body ?? '', fw.votes[v.vote], v.date ? gostDate(v.date) : '']).map((t) => cell(t)) }));
  return [
    body([new TextRun(fw.votesIntro)], 60),
    new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [new TableRow({ tableHeader: true, children: pick(fw.voteHeader).map((h) => cell(h, true)) }), ...rows] }),
  ];
}

export function foreword(view: StandardPdfView, text: Boilerplate): FileChild[] {
  const fw = text.foreword;
  let item = 0;
  const point = (head: string, rest: string) => body([new TextRun(`${++item} ${head} `), new TextRun(rest)]);
  // The points are numbered as they are made: build them in the order they are printed.
  const points: FileChild[] = [
    point(fw.developed, view.developer),
    point(fw.submitted, fw.submittedBy),
    point(fw.adopted, view.published ? `${fw.adoptedBy}${view.adoption ? ` (${view.adoption})` : ''}` : fw.adoptedPending),
    ...votes(view, text),
  ];
  if (view.entryIntoForce?.length) {
    points.push(point(fw.entryIntoForce, ''));
    for (const e of view.entryIntoForce) points.push(body([new TextRun(fill(fw.entryIntoForceLine, { country: e.country, date: gostDate(e.date) }))], 40));
  } else points.push(point(fw.entryIntoForce, fw.entryIntoForcePending));
  // As the PDF: «ВЗАМЕН …» for a successor, «ВВЕДЁН ВПЕРВЫЕ» for a first standard (docs/amendments.md).
  points.push(view.replaces ? point(fw.replaces, view.replaces) : point(fw.firstTime, ''));
  return [
    new Paragraph({ style: 'Title', pageBreakBefore: true, children: [new TextRun(fw.title)] }),
    body([new TextRun(fw.intro)], 200),
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 120 }, children: [new TextRun({ text: fw.about, font: SANS, bold: true })] }),
    ...points,
    new Paragraph({ style: 'AccordNote', spacing: { before: 240 }, border: { top: { style: 'single', size: 4, color: '000000', space: 6 } }, children: [new TextRun({ text: fw.notice, italics: true })] }),
  ];
}

/** «Содержание»: the TOC field over two heading levels, and the sentence that says Word updates it. */
export function contents(text: Boilerplate, note: string): FileChild[] {
  return [
    new Paragraph({ style: 'Title', pageBreakBefore: true, children: [new TextRun(text.contents)] }),
    new TableOfContents(text.contents, { hyperlink: true, headingStyleRange: '1-2', tabLeader: LeaderType.DOT }),
    new Paragraph({ style: 'AccordNote', spacing: { before: 240 }, children: [new TextRun({ text: note, italics: true })] }),
  ];
}
