// The disposition report of a document across all its rounds, as a page and as a PDF in the columns of
// the summary of comments (docs/answers.md, "The disposition report").
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import type { DocumentRecord } from '../documents/index.js';
import { getDocument } from '../documents/index.js';
import { sendAsAttachment } from '../http/attachment.js';
import { objectIdParam, type ApiOperation } from '../http/openapi.js';
import { route, type RouteDef } from '../http/route-table.js';
import { translate, type Locale } from '../i18n/index.js';
import type { PdfAssets } from '../pdf/assets.js';
import { renderCommentsSummaryPdf, type CommentsSummaryView, type SummaryGroup } from '../pdf/comments-summary.js';
import { dispositionReport, type DispositionReport, type ReportDisposition } from './report.js';
import { commentTypes, decisions } from './model.js';
import { committee, docId } from './route-helpers.js';

// ── The report as JSON ───────────────────────────────────────────────────────────────────────────────

const reportDispositionOut = z.object({
  decision: z.enum(decisions), reason: z.string().nullable(), observation: z.string().nullable(), byName: z.string(), at: z.string(),
  // The meeting that decided it, when one did (docs/meetings.md).
  meeting: z.object({ id: z.string(), day: z.string() }).nullable(),
});
const reportCommentOut = z.object({
  id: z.string(), number: z.string().nullable(), delegation: z.string(), revision: z.number(),
  clause: z.object({ label: z.string(), heading: z.string().nullable() }),
  type: z.enum(commentTypes), text: z.string(), proposedChange: z.string().nullable(),
  disposition: reportDispositionOut.nullable(), earlier: z.array(reportDispositionOut),
  answer: z.object({ agreed: z.boolean(), reason: z.string().nullable(), byName: z.string(), at: z.string() }).nullable(),
  // Where its change was applied: the revision, and the clause (with the redline to it) when that was recorded.
  applied: z.object({ revision: z.number(), clauseKey: z.string().nullable(), clause: z.string().nullable(), compare: z.string().nullable() }).nullable(),
  links: z.object({ self: z.string(), page: z.string() }),
});
const reportOut = z.object({
  document: z.string(), total: z.number(),
  rounds: z.array(z.object({ round: z.number(), revisions: z.array(z.number()), count: z.number(), comments: z.array(reportCommentOut) })),
  links: z.object({ page: z.string(), pdf: z.string() }),
});

export const reportApi: ApiOperation[] = [
  {
    id: 'getDispositionReport', method: 'get', path: '/api/documents/:id/disposition-report', tag: 'comments', params: { id: objectIdParam }, response: reportOut,
    summary: "The disposition report of every round: each released comment in the summary's order with its disposition (and the meeting that decided it), the dispositions before it, the delegation's answer and where its change was applied",
    access: 'committee roles (administrator, secretariat, head, member)',
  },
];

const isoOf = (d: Date | string) => new Date(d).toISOString();
const dispositionJson = (d: ReportDisposition) => ({ decision: d.decision, reason: d.reason ?? null, observation: d.observation ?? null, byName: d.byName, at: isoOf(d.at), meeting: d.meeting ?? null });

function reportJson(doc: DocumentRecord, report: DispositionReport) {
  const id = String(doc._id);
  return {
    document: id,
    total: report.total,
    rounds: report.rounds.map((r) => ({
      round: r.round,
      revisions: [...new Set(r.comments.map((c) => c.revision))].sort((a, b) => a - b),
      count: r.count,
      comments: r.comments.map((c) => ({
        id: c.id, number: c.number === '—' ? null : c.number, delegation: c.delegation, revision: c.revision,
        clause: { label: c.clauseLabel, heading: c.clauseHeading ?? null },
        type: c.type, text: c.text, proposedChange: c.proposedChange ?? null,
        disposition: c.disposition ? dispositionJson(c.disposition) : null,
        earlier: c.earlier.map(dispositionJson),
        answer: c.answer ? { agreed: c.answer.agreed, reason: c.answer.reason ?? null, byName: c.answer.byName, at: isoOf(c.answer.at) } : null,
        applied: c.applied ? { revision: c.applied.revision, clauseKey: 'clauseKey' in c.applied ? c.applied.clauseKey : null, clause: 'clause' in c.applied ? c.applied.clause : null, compare: 'href' in c.applied ? c.applied.href : null } : null,
        links: { self: `/api/documents/${id}/comments/${c.id}`, page: `/documents/${id}/comments/${c.id}` },
      })),
    })),
    links: { page: `/documents/${id}/disposition-report`, pdf: `/documents/${id}/disposition-report.pdf` },
  };
}

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

    route('get', '/api/documents/:id/disposition-report', committee, async (req, res) => {
      const doc = await getDocument(req.user, docId(req));
      res.json(reportJson(doc, await dispositionReport(req.user!, doc, res.locals.locale)));
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
