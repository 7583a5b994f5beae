// The standard as a Word file (docs/word.md): the same view model as the PDF (server/pdf/standard-view.ts:
// numbers derived, markup parsed), laid out in GOST 1.5's order — cover, foreword, contents, title block,
// clauses, closing — with the running header (designation, and «ПРОЕКТ» on a draft), «Страница N из M» in
// the footer, PT Serif and PT Sans named with their fallbacks, and the contents as a TOC field.
import { AlignmentType, Document, Footer, Header, Packer, PageNumber, Paragraph, TextRun, type FileChild } from 'docx';
import type { Boilerplate } from '../pdf/assets.js';
import { runningHead, standardMetadata } from '../pdf/standard.js';
import { splitTitle } from '../pdf/standard-layout.js';
import type { StandardPdfView } from '../pdf/standard-view.js';
import { clauseChildren } from './standard-body.js';
import { contents, cover, foreword } from './standard-front.js';
import { DRAFT_RED, SANS, documentStyles, fontTableXml, mm, pt } from './styles.js';

/** The running header: the designation (or the draft's name) and, on a draft, the mark in red. */
function header(view: StandardPdfView, text: Boilerplate): Header {
  const runs = [new TextRun({ text: runningHead(view, text), font: SANS, size: pt(9) })];
  if (!view.published) runs.push(new TextRun({ text: `\t${text.draftMark}`, font: SANS, bold: true, size: pt(10), color: DRAFT_RED }));
  return new Header({ children: [new Paragraph({ tabStops: [{ type: 'right', position: mm(180) }], border: { bottom: { style: 'single', size: 4, color: '000000', space: 2 } }, children: runs })] });
}

/** «Страница {n} из {m}» with Word's page fields in place of the placeholders. */
function footer(text: Boilerplate): Footer {
  const runs = text.pageOf.split(/(\{n\}|\{m\})/).filter(Boolean).map((part) => {
    if (part === '{n}') return new TextRun({ children: [PageNumber.CURRENT], font: SANS, size: pt(9) });
    if (part === '{m}') return new TextRun({ children: [PageNumber.TOTAL_PAGES], font: SANS, size: pt(9) });
    return new TextRun({ text: part, font: SANS, size: pt(9) });
  });
  return new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: runs })] });
}

/** The title block over the first clause: the kind of standard, the titles, the date of entry into force. */
function titleBlock(view: StandardPdfView, text: Boilerplate): FileChild[] {
  const [group, rest] = splitTitle(view.titles.ru);
  const line = (t: string, run: object, after = 60) => new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after }, children: [new TextRun({ ...run, text: t })] });
  const first = view.entryIntoForce?.map((e) => e.date).sort()[0];
  return [
    new Paragraph({ alignment: AlignmentType.CENTER, pageBreakBefore: true, border: { top: { style: 'single', size: 12, color: '000000', space: 4 }, bottom: { style: 'single', size: 4, color: '000000', space: 4 } }, children: [new TextRun({ text: text.standardKind.toUpperCase(), font: SANS, bold: true, size: pt(11) })] }),
    line(group.toUpperCase(), { font: SANS, bold: true, size: pt(13) }),
    ...(rest ? [line(rest, { font: SANS, bold: true, size: pt(12) })] : []),
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, border: { bottom: { style: 'single', size: 12, color: '000000', space: 4 } }, children: [new TextRun({ text: view.titles.en, italics: true })] }),
    ...(first ? [new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { after: 240 }, children: [new TextRun({ text: `${text.dateOfEntry} — ${first.replace(/-/g, '—')}`, font: SANS, bold: true, size: pt(10) })] })] : []),
  ];
}

function closing(view: StandardPdfView, text: Boilerplate): FileChild[] {
  const out: FileChild[] = [];
  if (view.ics) out.push(new Paragraph({ spacing: { before: 360 }, border: { top: { style: 'single', size: 8, color: '000000', space: 4 } }, children: [new TextRun({ text: `${text.ics} ${view.ics}`, font: SANS, size: pt(10) })] }));
  if (view.keywords?.length) out.push(new Paragraph({ style: 'AccordBody', children: [new TextRun({ text: `${text.keywords}: `, font: SANS, bold: true, size: pt(10) }), new TextRun({ text: view.keywords.join(', '), font: SANS, size: pt(10) })] }));
  return out;
}

/** Builds the standard's Word document (not yet packed). */
export function standardDocument(view: StandardPdfView, text: Boilerplate): Document {
  const meta = standardMetadata(view, text);
  const x = { refs: view.refs, text };
  const children: FileChild[] = [
    ...cover(view, text),
    ...foreword(view, text),
    ...contents(text, text.word.contentsNote),
    ...titleBlock(view, text),
    ...view.clauses.flatMap((c) => clauseChildren(c, x)),
    ...closing(view, text),
  ];
  return new Document({
    title: meta.title,
    subject: meta.subject,
    keywords: meta.keywords,
    creator: meta.author,
    lastModifiedBy: 'Accord',
    description: text.word.description,
    styles: documentStyles(),
    features: { updateFields: true },
    sections: [{
      properties: { titlePage: true, page: { size: { width: mm(210), height: mm(297) }, margin: { top: mm(20), bottom: mm(20), left: mm(20), right: mm(10), header: mm(10), footer: mm(10) } } },
      headers: { default: header(view, text), first: new Header({ children: [] }) },
      footers: { default: footer(text), first: new Footer({ children: [] }) },
      children,
    }],
  });
}

/** The standard as DOCX bytes, its font table naming the fallback of each font (styles.ts). */
export function renderStandardDocx(view: StandardPdfView, text: Boilerplate): Promise<Buffer> {
  return Packer.toBuffer(standardDocument(view, text), false, [{ path: 'word/fontTable.xml', data: fontTableXml() }]);
}
