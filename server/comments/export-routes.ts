// The comments of a document taken away: as CSV, as a workbook, as the ISO template in Word, as the PDF
// summary, and the statistics of a round.
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import type { DocumentRecord } from '../documents/index.js';
import { getDocument } from '../documents/index.js';
import { sendAsAttachment } from '../http/attachment.js';
import { route, type RouteDef } from '../http/route-table.js';
import { translate, type Locale } from '../i18n/index.js';
import { DOCX_TYPE } from '../docx/types.js';
import type { PdfAssets } from '../pdf/assets.js';
import { renderCommentsSummaryPdf, type CommentsSummaryView, type SummaryGroup } from '../pdf/comments-summary.js';
import { anchorText, exportRows, writeCommentsCsv, writeCommentsXlsx } from './exports.js';
import type { CommentRecord } from './model.js';
import { commentTemplateDocx } from './template-export.js';
import { exportBatches, statisticsOfRound, summaryOfComments, type SummaryFilter } from './queries.js';
import { committee, docId, filterOf } from './route-helpers.js';
import { statisticsSvg } from './statistics-svg.js';

/** The delegation's answer to the disposition, as the summary PDF prints it under the observations. */
function answerLine(a: CommentRecord['answer'], lang: Locale): string | undefined {
  if (!a) return undefined;
  return a.agreed ? `${translate(lang, 'answers.agreed')}.` : `${translate(lang, 'answers.disagreed')}: ${a.reason ?? ''}`;
}

/** The summary as the PDF renderer's view model: grouped by clause, in clause order. */
function summaryPdfView(doc: DocumentRecord, rows: Awaited<ReturnType<typeof summaryOfComments>>, round: number, lang: Locale): CommentsSummaryView {
  const groups: SummaryGroup[] = [];
  for (const c of rows) {
    let group = groups.at(-1);
    if (!group || group.clause !== c.clauseLabel) groups.push((group = { clause: c.clauseLabel, heading: c.clauseHeading, comments: [] }));
    const d = c.disposition;
    group.comments.push({
      mb: c.delegation,
      number: c.number ?? undefined,
      line: c.line ?? undefined,
      clause: c.clauseLabel,
      element: c.anchor ? anchorText(translate(lang, `comments.anchorKind.${c.anchor.kind}`), c.anchor.ref) : undefined,
      type: c.type,
      comment: c.text,
      proposedChange: c.proposedChange,
      disposition: d ? (d.decision === 'partially' ? 'partiallyAccepted' : d.decision) : undefined,
      observations: d ? [d.reason, d.observation, d.appliedInRevision ? translate(lang, 'comments.appliedIn', { number: d.appliedInRevision }) : undefined, answerLine(c.answer, lang)].filter(Boolean).join('\n\n') : undefined,
    });
  }
  const newest = rows.reduce((t, c) => Math.max(t, new Date(c.disposition?.at ?? c.updatedAt).getTime(), c.answer ? new Date(c.answer.at).getTime() : 0), doc.updatedAt.getTime());
  return { lang, documentTitle: doc.titles[lang] || doc.titles.ru, designation: doc.designation ?? undefined, revision: doc.commentPeriod?.revision ?? doc.currentRevision, stage: doc.stage, groups, createdAt: new Date(newest) };
}

/** The export's rows, read a batch at a time in clause order. */
async function* exportedRows(doc: DocumentRecord, filter: SummaryFilter) {
  for await (const rows of exportBatches(doc, filter, 'ru')) yield exportRows(rows);
}

/**
 * Writes an export to the response as its rows are read. An error before the first byte is answered as
 * usual; after it, the connection is cut so that the download is seen to fail rather than end short, and
 * the log says why (the error handler, which would, never sees it).
 */
async function streamed(req: Request, res: Response, write: (out: Response) => Promise<void>): Promise<void> {
  res.set('Cache-Control', 'private, no-store');
  try {
    await write(res);
  } catch (err) {
    if (!res.headersSent) throw err;
    req.log.warn({ err: { name: (err as Error)?.name, message: (err as Error)?.message } }, 'export cut short');
    res.destroy();
  }
}

/** The formats the summary is exported in, by the file extension of their address. */
export const EXPORT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: DOCX_TYPE,
  pdf: 'application/pdf',
} as const;
export type ExportKind = keyof typeof EXPORT_TYPES;

/** Sends the summary of a round, filtered, as a file: the export addresses and the API's content negotiation (api.ts). */
export async function sendCommentExport(kind: ExportKind, req: Request, res: Response, doc: DocumentRecord, filter: SummaryFilter, pdfAssets: PdfAssets): Promise<void> {
  const round = filter.round ?? doc.round;
  const name = `comments-${doc._id}-round-${round}.${kind}`;
  if (kind === 'csv') {
    sendAsAttachment(res, name, EXPORT_TYPES.csv);
    return streamed(req, res, (out) => writeCommentsCsv(out, exportedRows(doc, filter)));
  }
  if (kind === 'xlsx') {
    sendAsAttachment(res, name, EXPORT_TYPES.xlsx);
    return streamed(req, res, (out) => writeCommentsXlsx(out, exportedRows(doc, filter), doc.titles.ru));
  }
  if (kind === 'docx') {
    const bytes = await commentTemplateDocx(doc, exportedRows(doc, filter), req.now);
    sendAsAttachment(res, name, EXPORT_TYPES.docx);
    res.set('Cache-Control', 'private, no-store');
    res.send(bytes);
    return;
  }
  const locale: Locale = res.locals.locale;
  const view = summaryPdfView(doc, await summaryOfComments(doc, filter, locale, req.user), round, locale);
  sendAsAttachment(res, name, EXPORT_TYPES.pdf);
  res.set('Cache-Control', 'private, no-store');
  await pipeline(renderCommentsSummaryPdf(view, pdfAssets), res).catch((err: unknown) => {
    if (!res.headersSent) throw err;
    res.destroy();
  });
}

export function commentExportRoutes(deps: { pdfAssets: PdfAssets }): RouteDef[] {
  return [
    ...(Object.keys(EXPORT_TYPES) as ExportKind[]).map((kind) =>
      route('get', `/documents/:id/comments/export.${kind}`, committee, async (req, res) => {
        const doc = await getDocument(req.user, docId(req));
        await sendCommentExport(kind, req, res, doc, filterOf(req), deps.pdfAssets);
      }),
    ),

    route('get', '/documents/:id/comments/statistics', committee, async (req, res) => {
      const doc = await getDocument(req.user, docId(req));
      const round = filterOf(req).round ?? doc.round;
      const stats = await statisticsOfRound(doc, round);
      const locale: Locale = res.locals.locale;
      res.render('comments/statistics', { title: 'comments.statisticsTitle', doc: { id: String(doc._id), title: doc.titles[locale] }, round, stats, chart: statisticsSvg(stats, locale) });
    }),
  ];
}
