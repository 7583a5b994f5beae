// The summary of comments as the filled-in ISO/IEC commenting template in Word (server/docx/comments-template.ts):
// the same rows and columns as the CSV and XLSX exports (exports.ts). Word files are written whole, so the
// rows are gathered first; a round's comments are a few thousand rows at most (docs/word.md).
import type { DocumentRecord } from '../documents/index.js';
import { renderCommentTemplateDocx } from '../docx/comments-template.js';
import { dayOf } from '../time/days.js';
import { isoColumns, type ExportRow } from './exports.js';

/** Each column's width on a landscape A4 page, millimetres (267 in all): the codes narrow, the texts wide. */
const WIDTHS: Record<(typeof isoColumns)[number]['key'], number> = { mb: 14, line: 17, clause: 22, paragraph: 25, type: 19, comment: 56, proposed: 48, observations: 44, number: 22 };

const NOTES = [
  'MB/NC = member body / national committee: the delegation\u2019s two-letter country code (ISO 3166), e.g. BY, RU. Делегация — код страны.',
  'Type of comment: ge = general, te = technical, ed = editorial. Вид замечания: ge — общее, te — техническое, ed — редакционное.',
  'Accord comment number: Accord\u2019s number of the comment; leave it as it is, and leave it empty for a new comment. № замечания в Accord — не изменять; для нового замечания не заполнять.',
];

export async function commentTemplateDocx(doc: DocumentRecord, batches: AsyncIterable<ExportRow[]>, now: Date): Promise<Buffer> {
  const rows: string[][] = [];
  for await (const batch of batches) for (const r of batch) rows.push(isoColumns.map((c) => r[c.key]));
  const revision = doc.commentPeriod?.revision ?? doc.currentRevision;
  return renderCommentTemplateDocx({
    document: [doc.designation, doc.titles.ru].filter(Boolean).join(' '),
    project: `Редакция ${revision}, стадия ${doc.stage}`,
    date: dayOf(now),
    columns: isoColumns.map((c) => ({ en: c.en, width: WIDTHS[c.key] })),
    rows,
    notes: NOTES,
  });
}
