// An amendment as a Word file (docs/amendments.md, docs/word.md): the same view model and the same content
// as its PDF in the GOST 1.5 form of an amendment (server/pdf/amendment.ts) — the committee,
// «Изменение № N к …», the standard's titles, adoption, the dates of entry into force, then each change as
// its instruction with the new text quoted — never the standard's full text its revision holds.
import { AlignmentType, Document, Footer, Header, Packer, PageNumber, Paragraph, TextRun, type FileChild } from 'docx';
import type { AmendmentPdfView } from '../pdf/amendment.js';
import { gostDate } from '../pdf/standard-layout.js';
import { DRAFT_RED, INDENT, SANS, documentStyles, fontTableXml, mm, pt } from './styles.js';

function header(view: AmendmentPdfView): Header {
  const runs = [new TextRun({ text: view.designation, font: SANS, size: pt(9) })];
  if (view.draftMark) runs.push(new TextRun({ text: `\t${view.draftMark}`, font: SANS, bold: true, size: pt(10), color: DRAFT_RED }));
  return new Header({ children: [new Paragraph({ tabStops: [{ type: 'right', position: mm(180) }], border: { bottom: { style: 'single', size: 4, color: '000000', space: 2 } }, children: runs })] });
}

/** The page line of the PDF («Страница {n} из {m}») with Word's page fields in place of the numbers. */
function footer(view: AmendmentPdfView): Footer {
  const parts = view.labels.page(-1, -2).split(/(-1|-2)/).filter(Boolean);
  const runs = parts.map((part) => {
    if (part === '-1') return new TextRun({ children: [PageNumber.CURRENT], font: SANS, size: pt(9) });
    if (part === '-2') return new TextRun({ children: [PageNumber.TOTAL_PAGES], font: SANS, size: pt(9) });
    return new TextRun({ text: part, font: SANS, size: pt(9) });
  });
  return new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: runs })] });
}

function amendmentChildren(view: AmendmentPdfView): FileChild[] {
  const centred = (text: string, run: object, after = 120) => new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after }, children: [new TextRun({ ...run, text })] });
  const body = (text: string, run: object = {}, after = 60) => new Paragraph({ style: 'AccordBody', alignment: AlignmentType.LEFT, indent: { firstLine: 0 }, spacing: { after }, children: [new TextRun({ ...run, text })] });
  const out: FileChild[] = [
    centred(view.committee.toUpperCase(), { font: SANS, bold: true, size: pt(10) }, 200),
    new Paragraph({ heading: 'Heading1', alignment: AlignmentType.CENTER, indent: { firstLine: 0 }, spacing: { after: 120 }, children: [new TextRun({ text: view.designation, font: SANS, bold: true, size: pt(15) })] }),
    centred(view.standard.titles.ru, { font: SANS, bold: true, size: pt(12) }, 40),
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [new TextRun({ text: view.standard.titles.en, italics: true, language: { value: 'en-GB' } })] }),
    body(view.adopted, {}, 120),
  ];
  if (view.entryIntoForce.length) out.push(body(view.labels.entryIntoForce, { bold: true }, 40));
  for (const e of view.entryIntoForce) out.push(body(`${e.country} — ${gostDate(e.date)}`, {}, 40));
  if (view.labels.signedBy) out.push(body(view.labels.signedBy, { font: SANS, size: pt(9) }, 0));
  if (view.labels.verify) out.push(body(view.labels.verify, { font: SANS, size: pt(9) }, 0));
  out.push(new Paragraph({ spacing: { after: 240 }, border: { bottom: { style: 'single', size: 4, color: '000000', space: 4 } }, children: [] }));
  for (const change of view.changes) {
    out.push(new Paragraph({ style: 'AccordBody', alignment: AlignmentType.LEFT, indent: { firstLine: 0 }, keepNext: true, spacing: { before: 160, after: 60 }, children: [new TextRun({ text: change.instruction, bold: true })] }));
    const last = change.lines.length - 1;
    change.lines.forEach((line, i) => {
      out.push(new Paragraph({ style: 'AccordBody', alignment: AlignmentType.JUSTIFIED, indent: { firstLine: INDENT }, spacing: { after: 40 }, children: [new TextRun({ text: `${i === 0 ? '«' : ''}${line}${i === last ? '»' : ''}` })] }));
    });
  }
  return out;
}

/** The amendment's Word document (not yet packed). */
export function amendmentDocument(view: AmendmentPdfView): Document {
  return new Document({
    title: `${view.designation}. ${view.standard.titles.ru}`,
    subject: view.standard.titles.ru,
    keywords: view.standard.designation,
    creator: view.committee,
    lastModifiedBy: 'Accord',
    styles: documentStyles(),
    sections: [{
      properties: { page: { size: { width: mm(210), height: mm(297) }, margin: { top: mm(20), bottom: mm(20), left: mm(20), right: mm(10), header: mm(10), footer: mm(10) } } },
      headers: { default: header(view) },
      footers: { default: footer(view) },
      children: amendmentChildren(view),
    }],
  });
}

/** The amendment as DOCX bytes, its font table naming the fallback of each font (styles.ts). */
export function renderAmendmentDocx(view: AmendmentPdfView): Promise<Buffer> {
  return Packer.toBuffer(amendmentDocument(view), false, [{ path: 'word/fontTable.xml', data: fontTableXml() }]);
}
