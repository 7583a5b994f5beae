// The disposition report of a document across all its rounds, as a page and as a PDF in the columns of
// the summary of comments (docs/answers.md, "The disposition report").
import { pipeline } from 'node:stream/promises';
import type { DocumentRecord } from '../documents/index.js';
import { getDocument } from '../documents/index.js';
import { sendAsAttachment } from '../http/attachment.js';
import { route, type RouteDef } from '../http/route-table.js';
import { translate, type Locale } from '../i18n/index.js';
import type { PdfAssets } from '../pdf/assets.js';
import { renderCommentsSummaryPdf, type CommentsSummaryView, type SummaryGroup } from '../pdf/comments-summary.js';
import { dispositionReport, type DispositionReport, type ReportDisposition } from './report.js';
import { committee, docId } from './route-helpers.js';

const decisionText = (d: ReportDisposition, lang: Locale) => [translate(lang, `comments.decision.${d.decision}`), d.reason, d.observation].filter(Boolean).join(': ');

/** The report as the summary PDF's view model: a group per clause of each round, the history in the observations. */
function reportPdfView(doc: DocumentRecord, report: DispositionReport, lang: Locale): CommentsSummaryView {
  const groups: SummaryGroup[] = [];
  let newest = doc.updatedAt.getTime();
  for (const r of report.rounds) {
    const prefix = translate(lang, 'report.round', { number: r.round });
    for (const c of r.comments) {
      let group = groups.at(-1);
      if (!group || group.prefix !== prefix || group.clause !== c.clauseLabel) groups.push((group = { prefix, clause: c.clauseLabel, heading: c.clauseHeading, comments: [] }));
      const d = c.disposition;
      if (d) newest = Math.max(newest, d.at.getTime());
      const observations = [
        d?.reason,
        d?.observation,
        d?.meetingText,
        ...c.earlier.map((e) => `${translate(lang, 'report.earlier')}: ${decisionText(e, lang)}${e.meetingText ? ` (${e.meetingText})` : ''} · ${e.atText}`),
        c.appliedText,
        c.answer ? `${translate(lang, 'report.answer')}: ${translate(lang, c.answer.agreed ? 'answers.agreed' : 'answers.disagreed')}${c.answer.reason ? `: ${c.answer.reason}` : ''}` : d ? `${translate(lang, 'report.answer')}: ${translate(lang, 'report.noAnswer')}` : undefined,
      ]
        .filter((o): o is string => Boolean(o))
        // Each follows the decision's word after a full stop in the PDF's column («Принято. Решение заседания …»).
        .map((o) => o.charAt(0).toLocaleUpperCase(lang) + o.slice(1));
      group.comments.push({
        mb: c.delegation,
        number: c.number,
        clause: c.clauseLabel,
        type: c.type,
        comment: c.text,
        proposedChange: c.proposedChange,
        disposition: d ? (d.decision === 'partially' ? 'partiallyAccepted' : d.decision) : undefined,
        observations: observations.join('\n\n') || undefined,
      });
    }
  }
  return {
    lang,
    documentTitle: doc.titles[lang] || doc.titles.ru,
    designation: doc.designation ?? undefined,
    revision: doc.currentRevision,
    stage: doc.stage,
    groups,
    title: translate(lang, 'report.title'),
    subtitle: translate(lang, 'report.pdfSubtitle'),
    createdAt: new Date(newest),
  };
}

export function reportRoutes(deps: { pdfAssets: PdfAssets }): RouteDef[] {
  return [
    route('get', '/documents/:id/disposition-report', committee, async (req, res) => {
      const doc = await getDocument(req.user, docId(req));
      const locale: Locale = res.locals.locale;
      const report = await dispositionReport(req.user!, doc, locale);
      res.render('comments/report', { title: 'report.title', doc: { id: String(doc._id), title: doc.titles[locale] || doc.titles.ru, designation: doc.designation }, ...report });
    }),

    route('get', '/documents/:id/disposition-report.pdf', committee, async (req, res) => {
      const doc = await getDocument(req.user, docId(req));
      const locale: Locale = res.locals.locale;
      const view = reportPdfView(doc, await dispositionReport(req.user!, doc, locale), locale);
      sendAsAttachment(res, `disposition-report-${doc._id}.pdf`, 'application/pdf');
      res.set('Cache-Control', 'private, no-store');
      await pipeline(renderCommentsSummaryPdf(view, deps.pdfAssets), res).catch((err: unknown) => {
        if (!res.headersSent) throw err;
        res.destroy();
      });
    }),
  ];
}
