import type { Request, Response } from 'express';
import { role } from '../auth/index.js';
import type { CurrentUser } from '../auth/index.js';
import { AppError, Forbidden, InvalidInput, NotFound } from '../errors.js';
import { renderFormError } from '../http/forms.js';
import { route, type RouteDef } from '../http/route-table.js';
import { parseInput } from '../http/validate.js';
import { translate, type Locale } from '../i18n/index.js';
import type { DocumentRecord } from '../documents/index.js';
import { numberClauses } from '../text/numbering.js';
import { getDocument, getRevision, listRevisions } from '../documents/index.js';
import { setDisposition } from './dispositions.js';
import { commentTypes, decisions } from './model.js';
import { dispositionInput, editCommentInput, mergeInput, newCommentInput, replyInput, summaryQuery } from './inputs.js';
import { positionOf } from './position.js';
import { releasePosition } from './position.js';
import { internalComments, statisticsOfRound, summaryOfComments, type SummaryFilter } from './queries.js';
import { dropComment, editComment, getVisibleComment, mergeComments, postComment, replyToComment } from './service.js';
import { statisticsSvg } from './statistics-svg.js';
import { commentsCsv, commentsXlsx, exportRows } from './exports.js';
import { pipeline } from 'node:stream/promises';
import { formatInstant } from '../time/format.js';
import { timeLeft } from '../time/time-left.js';
import type { PdfAssets } from '../pdf/assets.js';
import type { Notices } from '../notices/index.js';
import { sendAsAttachment } from '../http/attachment.js';
import { renderCommentsSummaryPdf, type CommentsSummaryView, type SummaryGroup } from '../pdf/comments-summary.js';

const committee = role('administrator', 'secretariat', 'head', 'member');
const delegates = role('head', 'member');
const heads = role('head');
const secretariat = role('secretariat');

function filterOf(req: Request): SummaryFilter {
  const raw = Object.fromEntries(Object.entries(req.query).filter(([, v]) => typeof v === 'string' && v !== ''));
  const parsed = summaryQuery.safeParse(raw);
  if (!parsed.success) throw new InvalidInput('comments.badFilter');
  return parsed.data;
}

async function clauseOptions(doc: DocumentRecord, locale: Locale) {
  if (!doc.commentPeriod && doc.round === 0) return [];
  const rev = await getRevision(doc, doc.commentPeriod?.revision ?? doc.currentRevision);
  const labels = numberClauses(rev.clauses);
  return rev.clauses
    .filter((c) => c.kind !== 'reference' && c.kind !== 'bibliography')
    .map((c) => ({ key: c.key, label: `${labels.get(c.key)?.text[locale] ?? ''} ${c.heading ?? c.term?.ru ?? c.requirement?.parameter ?? c.table?.caption ?? (c.body ?? '').slice(0, 60)}`.trim() }));
}

/** Everything the comments page of a document shows to this caller. */
async function commentsPage(actor: CurrentUser, doc: DocumentRecord, filter: SummaryFilter, locale: Locale, now: Date, extra: Record<string, unknown> = {}) {
  const round = filter.round ?? doc.round;
  const isDelegate = (actor.role === 'head' || actor.role === 'member') && !!actor.delegationCode;
  const position = isDelegate && doc.round > 0 ? await positionOf(doc, actor.delegationCode!) : null;
  const open = doc.state === 'comment' && !!doc.commentPeriod && doc.commentPeriod.closesAt.getTime() > now.getTime();
  const internal = isDelegate ? await internalComments(actor, doc, locale) : [];
  const rows = doc.round > 0 ? await summaryOfComments(doc, { ...filter, round }, locale, actor) : [];
  return {
    title: 'comments.title',
    doc: { id: String(doc._id), title: doc.titles[locale] || doc.titles.ru, state: doc.state, round: doc.round, stage: doc.stage, currentRevision: doc.currentRevision },
    period: doc.commentPeriod ? { revision: doc.commentPeriod.revision, closesAt: doc.commentPeriod.closesAt, closesAtText: formatInstant(doc.commentPeriod.closesAt, locale), left: timeLeft(doc.commentPeriod.closesAt, now, locale) } : undefined,
    rounds: Array.from({ length: doc.round }, (_, i) => ({ n: i + 1, selected: i + 1 === round })),
    round,
    filter,
    types: commentTypes,
    decisions,
    delegation: actor.delegationCode,
    isDelegate,
    isHead: actor.role === 'head',
    isSecretariat: actor.role === 'secretariat',
    canComment: isDelegate && open && !position,
    position,
    canRelease: actor.role === 'head' && open && !position?.numbered && internal.some((c) => c.status === 'internal'),
    internal,
    rows,
    clauses: isDelegate && open ? await clauseOptions(doc, locale) : [],
    clauseChoices: doc.round > 0 ? (await clauseOptions(doc, locale)).map((c) => ({ ...c, label: c.label.length > 60 ? `${c.label.slice(0, 59)}…` : c.label })) : [],
    ...extra,
  };
}

const docId = (req: Request) => String(req.params.id);

/** A comment of the caller's own delegation: another's may be visible, but it is not ours to change. */
async function ownComment(req: Request) {
  const found = await commentOfDocument(req);
  if (found.comment.delegation !== req.user!.delegationCode) throw new Forbidden('comments.notYourDelegation');
  return found;
}

/** A comment of this document that the caller may see; any other is "not found". */
async function commentOfDocument(req: Request) {
  const found = await getVisibleComment(req.user, String(req.params.commentId));
  if (String(found.comment.document) !== docId(req)) throw new NotFound('comments.notFound');
  return found;
}

async function commentView(actor: CurrentUser, doc: DocumentRecord, commentId: string, locale: Locale) {
  const { comment } = await getVisibleComment(actor, commentId);
  const [row] = comment.status === 'released' ? (await summaryOfComments(doc, { round: comment.round }, locale, actor)).filter((r) => r.id === commentId) : (await internalComments(actor, doc, locale)).filter((r) => r.id === commentId);
  const ownDelegation = actor.delegationCode === comment.delegation;
  const editable = ownDelegation && comment.status === 'internal' && doc.state === 'comment';
  const mergeTargets = editable && actor.role === 'head' ? (await internalComments(actor, doc, locale)).filter((c) => c.status === 'internal' && c.id !== commentId) : [];
  return {
    title: 'comments.commentTitle',
    doc: { id: String(doc._id), title: doc.titles[locale] || doc.titles.ru, state: doc.state },
    comment: row ?? { ...comment, id: commentId },
    editable,
    canDrop: editable && actor.role === 'head',
    mergeTargets,
    canDispose: actor.role === 'secretariat' && comment.status === 'released' && (doc.state === 'comment' || doc.state === 'resolution'),
    revisions: (await listRevisions(doc)).map((r) => r.number),
    types: commentTypes,
    decisions,
    values: {
      type: comment.type,
      text: comment.text,
      proposedChange: comment.proposedChange,
      anchorKind: comment.anchor?.kind,
      anchorRef: comment.anchor?.ref,
      version: comment.version,
      decision: comment.disposition?.decision,
      reason: comment.disposition?.reason,
      observation: comment.disposition?.observation,
      appliedInRevision: comment.disposition?.appliedInRevision,
    },
  };
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
      clause: c.clauseLabel,
      element: c.anchor ? `${translate(lang, `comments.anchorKind.${c.anchor.kind}`)} ${c.anchor.ref}` : undefined,
      type: c.type,
      comment: c.text,
      proposedChange: c.proposedChange,
      disposition: d ? (d.decision === 'partially' ? 'partiallyAccepted' : d.decision) : undefined,
      observations: d ? [d.reason, d.observation, d.appliedInRevision ? translate(lang, 'comments.appliedIn', { number: d.appliedInRevision }) : undefined].filter(Boolean).join('\n\n') : undefined,
    });
  }
  const newest = rows.reduce((t, c) => Math.max(t, new Date(c.disposition?.at ?? c.updatedAt).getTime()), doc.updatedAt.getTime());
  return { lang, documentTitle: doc.titles[lang] || doc.titles.ru, designation: doc.designation ?? undefined, revision: doc.commentPeriod?.revision ?? doc.currentRevision, stage: doc.stage, groups, createdAt: new Date(newest) };
}

export function commentRoutes(deps: { pdfAssets: PdfAssets; notices: Notices }): RouteDef[] {
  /** Re-shows a page after a refused action, with the reason (and what was typed). */
  const refused = async (req: Request, res: Response, err: unknown, view: 'list' | 'comment') => {
    if (!(err instanceof AppError) || ![409, 422].includes(err.status)) throw err;
    const doc = await getDocument(req.user, docId(req));
    const locale: Locale = res.locals.locale;
    if (view === 'comment') return renderFormError(res, 'comments/show', err, req.body, await commentView(req.user!, doc, String(req.params.commentId), locale));
    renderFormError(res, 'comments/index', err, req.body, await commentsPage(req.user!, doc, {}, locale, req.now, { formOpen: true }));
  };

  return [
    route('get', '/documents/:id/comments', committee, async (req, res) => {
      const doc = await getDocument(req.user, docId(req));
      res.render('comments/index', await commentsPage(req.user!, doc, filterOf(req), res.locals.locale, req.now));
    }),

    route('post', '/documents/:id/comments', delegates, async (req, res) => {
      try {
        const input = parseInput(newCommentInput, req.body);
        const c = await postComment(req.user!, docId(req), input, req.now, deps.notices);
        res.redirect(303, `/documents/${docId(req)}/comments#comment-${c._id}`);
      } catch (err) {
        await refused(req, res, err, 'list');
      }
    }),

    route('get', '/documents/:id/comments/export.csv', committee, async (req, res) => {
      const doc = await getDocument(req.user, docId(req));
      const rows = exportRows(await summaryOfComments(doc, filterOf(req), 'ru'));
      sendAsAttachment(res, `comments-${doc._id}-round-${filterOf(req).round ?? doc.round}.csv`, 'text/csv; charset=utf-8');
      res.send(commentsCsv(rows));
    }),

    route('get', '/documents/:id/comments/export.xlsx', committee, async (req, res) => {
      const doc = await getDocument(req.user, docId(req));
      const rows = exportRows(await summaryOfComments(doc, filterOf(req), 'ru'));
      sendAsAttachment(res, `comments-${doc._id}-round-${filterOf(req).round ?? doc.round}.xlsx`, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      res.send(await commentsXlsx(rows, doc.titles.ru));
    }),

    route('get', '/documents/:id/comments/export.pdf', committee, async (req, res) => {
      const doc = await getDocument(req.user, docId(req));
      const filter = filterOf(req);
      const round = filter.round ?? doc.round;
      const locale: Locale = res.locals.locale;
      const view = summaryPdfView(doc, await summaryOfComments(doc, filter, locale, req.user), round, locale);
      sendAsAttachment(res, `comments-${doc._id}-round-${round}.pdf`, 'application/pdf');
      res.set('Cache-Control', 'private, no-store');
      await pipeline(renderCommentsSummaryPdf(view, deps.pdfAssets), res).catch((err: unknown) => {
        if (!res.headersSent) throw err;
        res.destroy();
      });
    }),

    route('get', '/documents/:id/comments/statistics', committee, async (req, res) => {
      const doc = await getDocument(req.user, docId(req));
      const round = filterOf(req).round ?? doc.round;
      const stats = await statisticsOfRound(doc, round);
      const locale: Locale = res.locals.locale;
      res.render('comments/statistics', { title: 'comments.statisticsTitle', doc: { id: String(doc._id), title: doc.titles[locale] }, round, stats, chart: statisticsSvg(stats, locale) });
    }),

    route('post', '/documents/:id/position', heads, async (req, res) => {
      try {
        await releasePosition(req.user!, docId(req), req.now, deps.notices);
        res.redirect(303, `/documents/${docId(req)}/comments?released=1`);
      } catch (err) {
        await refused(req, res, err, 'list');
      }
    }),

    route('get', '/documents/:id/comments/:commentId', committee, async (req, res) => {
      const { doc } = await commentOfDocument(req);
      res.render('comments/show', await commentView(req.user!, doc, String(req.params.commentId), res.locals.locale));
    }),

    route('post', '/documents/:id/comments/:commentId', delegates, async (req, res) => {
      await ownComment(req);
      try {
        const input = parseInput(editCommentInput, req.body);
        await editComment(req.user!, String(req.params.commentId), input.version, input, req.now);
        res.redirect(303, `/documents/${docId(req)}/comments/${req.params.commentId}`);
      } catch (err) {
        await refused(req, res, err, 'comment');
      }
    }),

    route('post', '/documents/:id/comments/:commentId/replies', committee, async (req, res) => {
      await commentOfDocument(req);
      try {
        await replyToComment(req.user!, String(req.params.commentId), parseInput(replyInput, req.body).text, req.now);
        res.redirect(303, `/documents/${docId(req)}/comments/${req.params.commentId}#replies`);
      } catch (err) {
        await refused(req, res, err, 'comment');
      }
    }),

    route('post', '/documents/:id/comments/:commentId/drop', heads, async (req, res) => {
      await ownComment(req);
      try {
        await dropComment(req.user!, String(req.params.commentId), req.now);
        res.redirect(303, `/documents/${docId(req)}/comments`);
      } catch (err) {
        await refused(req, res, err, 'comment');
      }
    }),

    route('post', '/documents/:id/comments/:commentId/merge', heads, async (req, res) => {
      await ownComment(req);
      try {
        const { into } = parseInput(mergeInput, req.body);
        await mergeComments(req.user!, into, String(req.params.commentId), req.now);
        res.redirect(303, `/documents/${docId(req)}/comments/${into}`);
      } catch (err) {
        await refused(req, res, err, 'comment');
      }
    }),

    route('post', '/documents/:id/comments/:commentId/disposition', secretariat, async (req, res) => {
      await commentOfDocument(req);
      try {
        await setDisposition(req.user!, String(req.params.commentId), parseInput(dispositionInput, req.body), req.now);
        res.redirect(303, `/documents/${docId(req)}/comments#comment-${req.params.commentId}`);
      } catch (err) {
        await refused(req, res, err, 'comment');
      }
    }),
  ];
}
