// The comment stage through the JSON API (docs/comments-api.md): the comments a caller may see on a document
// and round, one comment with its thread and edit trail, a new comment, an edit, a reply, the head's drop,
// merge and release of the national position, the secretariat's disposition, and the summary as JSON with
// links to its exports. Every answer is built by the same services and page models as the comments pages,
// so that the API sees and may do exactly what the pages show and allow.
import type { Request } from 'express';
import { z } from 'zod';
import type { CurrentUser } from '../auth/index.js';
import type { DocumentRecord } from '../documents/index.js';
import { getDocument } from '../documents/index.js';
import { InvalidInput, NotFound } from '../errors.js';
import { objectIdParam, type ApiOperation } from '../http/openapi.js';
import { route, type RouteDef } from '../http/route-table.js';
import { optionalText, parseInput, text } from '../http/validate.js';
import type { Locale } from '../i18n/index.js';
import type { Notices } from '../notices/index.js';
import { CLAUSE_KEY_PATTERN } from '../text/clause-model.js';
import { answerableComment, answerDisposition } from './answers.js';
import { BULK_LIMIT, setDisposition, setDispositions } from './dispositions.js';
import { EXPORT_TYPES, sendCommentExport, type ExportKind } from './export-routes.js';
import { exportRows, isoColumns, type ExportRow } from './exports.js';
import type { PdfAssets } from '../pdf/assets.js';
import { anchorKinds, commentTypes, decisions, type CommentRecord } from './model.js';
import { commentsPage, commentView, releasePage } from './pages.js';
import { positionOf, releasePosition } from './position.js';
import { SUMMARY_PAGE_SIZE, statisticsOfRound, summaryBatches, type SummaryFilter } from './queries.js';
import { commentOfDocument, committee, delegates, docId, filterOf, heads, ownComment, secretariat } from './route-helpers.js';
import { delegationOf, dropComment, editComment, isAuthor, mergeComments, postComment, replyToComment } from './service.js';

// ── Input ────────────────────────────────────────────────────────────────────────────────────────────

const commentText = text(10_000);
const anchorIn = z.strictObject({ kind: z.enum(anchorKinds), ref: text(100) });
const postBody = z.strictObject({
  clauseKey: z.string().regex(CLAUSE_KEY_PATTERN),
  type: z.enum(commentTypes),
  text: commentText,
  proposedChange: optionalText(10_000),
  anchor: anchorIn.optional(),
  // The line number(s) of the commented text as the commenter writes them («12», «12–14»).
  line: optionalText(40),
});
const patchBody = z.strictObject({
  version: z.number().int().min(0),
  type: z.enum(commentTypes).optional(),
  text: commentText.optional(),
  // null clears the proposed change or the anchor; a field left out keeps what is there.
  proposedChange: z.string().trim().max(10_000, 'validation.tooLong').nullable().optional(),
  anchor: anchorIn.nullable().optional(),
  line: z.string().trim().max(40, 'validation.tooLong').nullable().optional(),
});
const replyBody = z.strictObject({ text: commentText });
const mergeBody = z.strictObject({ into: objectIdParam });
const dispositionBody = z.strictObject({
  decision: z.enum(decisions),
  reason: optionalText(10_000),
  observation: optionalText(10_000),
  appliedInRevision: z.number().int().min(1).max(999_999).optional(),
});
/** Several comments, one disposition (docs/answers.md, "Bulk dispositions"); `seen` is the disposition time read, null for none. */
const bulkDispositionBody = z.strictObject({
  comments: z.array(z.strictObject({ id: objectIdParam, seen: z.iso.datetime().nullable().optional() })).min(1).max(BULK_LIMIT),
  decision: z.enum(decisions),
  reason: optionalText(10_000),
  observation: optionalText(10_000),
});
const bulkDispositionOut = z.object({ disposed: z.number() });
/** The delegation's answer to a disposition (docs/answers.md): agreed, or not agreed with its reason. */
const answerBody = z.strictObject({ agreed: z.boolean(), reason: optionalText(10_000) });
/** The summary's filter, as the pages take it (filterOf), stated exactly for the OpenAPI document. */
const filterQuery = z.object({
  round: z.string().regex(/^[1-9]\d{0,4}$/).optional(),
  delegation: z.string().regex(/^[A-Z]{2,3}$/).optional(),
  type: z.enum(commentTypes).optional(),
  clause: z.string().regex(CLAUSE_KEY_PATTERN).optional(),
  disposition: z.enum([...decisions, 'none']).optional(),
});
const listQuery = filterQuery.extend({ page: z.string().regex(/^[1-9]\d{0,4}$/).optional() });

/** The query of a list or summary: refused with the field at fault, read as the pages read it. */
function queryOf(req: Request, schema: z.ZodObject): SummaryFilter {
  const q = schema.safeParse(req.query);
  if (!q.success) {
    const field = String(q.error.issues[0]?.path[0] ?? 'query');
    throw new InvalidInput('comments.badFilter', {}, { [field]: 'comments.badFilter' });
  }
  return filterOf(req);
}

// ── Output ───────────────────────────────────────────────────────────────────────────────────────────

const anchorOut = z.object({ kind: z.enum(anchorKinds), ref: z.string() }).nullable();
const dispositionOut = z.object({
  decision: z.enum(decisions), reason: z.string().nullable(), observation: z.string().nullable(), appliedInRevision: z.number().nullable(),
  // Where its proposed change was applied from the comment's page (docs/applying-changes.md), when and by whom.
  appliedClauseKey: z.string().nullable(), appliedAt: z.string().nullable(), appliedByName: z.string().nullable(), byName: z.string(), at: z.string(),
}).nullable();
const replyOut = z.object({ id: z.string(), at: z.string(), byName: z.string(), delegation: z.string().nullable(), text: z.string(), internal: z.boolean() });
const commentOut = z.object({
  id: z.string(), document: z.string(), round: z.number(), revision: z.number(), number: z.string().nullable(), delegation: z.string(),
  status: z.enum(['internal', 'released', 'dropped', 'merged']),
  clause: z.object({ key: z.string(), label: z.string(), heading: z.string().nullable(), currentLabel: z.string().nullable() }),
  wholeDocument: z.boolean(), unmatchedClause: z.string().nullable(), anchor: anchorOut,
  type: z.enum(commentTypes), text: z.string(), proposedChange: z.string().nullable(), line: z.string().nullable(),
  authorName: z.string(), mine: z.boolean(), version: z.number(), createdAt: z.string(), updatedAt: z.string(),
  replies: z.array(replyOut), disposition: dispositionOut,
  // The delegation's answer to the disposition (docs/answers.md), seen by the whole committee.
  answer: z.object({ agreed: z.boolean(), reason: z.string().nullable(), byName: z.string(), at: z.string(), dispositionChangedSince: z.boolean() }).nullable(),
  links: z.object({ self: z.string(), page: z.string() }),
});
const editOut = z.object({ at: z.string(), byName: z.string(), type: z.enum(commentTypes), text: z.string(), proposedChange: z.string().nullable(), merged: z.boolean() });
const commentDetailOut = commentOut.extend({
  edits: z.array(editOut),
  can: z.object({ edit: z.boolean(), drop: z.boolean(), merge: z.boolean(), dispose: z.boolean() }),
  mergeTargets: z.array(z.string()),
});
const exportLinks = z.object({ csv: z.string(), xlsx: z.string(), docx: z.string(), pdf: z.string(), statistics: z.string() });
const positionOut = z.object({
  document: z.string(), round: z.number(), delegation: z.string(), released: z.boolean(), releasedAt: z.string().nullable(), releasedByName: z.string().nullable(),
  count: z.number(), canRelease: z.boolean(),
});
const listOut = z.object({
  document: z.string(), state: z.string(), round: z.number(), currentRound: z.number(), rounds: z.array(z.number()),
  period: z.object({ revision: z.number(), opensAt: z.string(), closesAt: z.string() }).nullable(),
  delegation: z.string().nullable(),
  position: z.object({ released: z.boolean(), releasedAt: z.string(), releasedByName: z.string().nullable(), count: z.number() }).nullable(),
  can: z.object({ comment: z.boolean(), release: z.boolean() }),
  internal: z.array(commentOut),
  released: z.object({ total: z.number(), page: z.number(), pages: z.number(), pageSize: z.number(), comments: z.array(commentOut) }),
  links: z.object({ page: z.string(), summary: z.string(), exports: exportLinks }),
});
const summaryOut = z.object({
  document: z.string(), round: z.number(),
  columns: z.array(z.object({ key: z.string(), ru: z.string(), en: z.string() })),
  rows: z.array(z.record(z.string(), z.string())),
  statistics: z.object({
    delegations: z.array(z.string()), types: z.array(z.string()), outcomes: z.array(z.string()), total: z.number(),
    table: z.array(z.object({ delegation: z.string(), type: z.string(), counts: z.array(z.number()), total: z.number() })),
  }),
  links: z.object({ page: z.string(), exports: exportLinks }),
});
const droppedOut = z.object({ id: z.string(), status: z.literal('dropped') });

type LabelledComment = CommentRecord & { id: string; clauseLabel: string; clauseHeading?: string; nowLabel?: string | null };

const iso = (d: Date | string) => new Date(d).toISOString();

function commentJson(actor: CurrentUser, c: LabelledComment) {
  const d = c.disposition;
  const doc = String(c.document);
  return {
    id: c.id, document: doc, round: c.round, revision: c.revision, number: c.number ?? null, delegation: c.delegation, status: c.status,
    clause: { key: c.clauseKey, label: c.clauseLabel, heading: c.clauseHeading ?? null, currentLabel: c.nowLabel === undefined ? c.clauseLabel : c.nowLabel },
    wholeDocument: !!c.wholeDocument, unmatchedClause: c.unmatchedClause ?? null, anchor: c.anchor ? { kind: c.anchor.kind, ref: c.anchor.ref } : null,
    type: c.type, text: c.text, proposedChange: c.proposedChange ?? null, line: c.line ?? null,
    authorName: c.authorName, mine: isAuthor(actor, c), version: c.version, createdAt: iso(c.createdAt), updatedAt: iso(c.updatedAt),
    replies: (c.replies ?? []).map((r) => ({ id: String((r as { _id?: unknown })._id ?? ''), at: iso(r.at), byName: r.byName, delegation: r.delegation ?? null, text: r.text, internal: !!r.internal })),
    answer: c.answer ? { agreed: c.answer.agreed, reason: c.answer.reason ?? null, byName: c.answer.byName, at: iso(c.answer.at), dispositionChangedSince: !!(d && c.answer.dispositionAt && d.at.getTime() !== new Date(c.answer.dispositionAt).getTime()) } : null,
    disposition: d ? { decision: d.decision, reason: d.reason ?? null, observation: d.observation ?? null, appliedInRevision: d.appliedInRevision ?? null, appliedClauseKey: d.appliedClauseKey ?? null, appliedAt: d.appliedAt ? iso(d.appliedAt) : null, appliedByName: d.appliedByName ?? null, byName: d.byName, at: iso(d.at) } : null,
    links: { self: `/api/documents/${doc}/comments/${c.id}`, page: `/documents/${doc}/comments/${c.id}` },
  };
}

/** The filter as a query string for the links (the page number left out: exports take every comment). */
function filterString(filter: SummaryFilter): string {
  const q = new URLSearchParams(Object.entries(filter).filter(([k, v]) => k !== 'page' && v !== undefined && v !== '').map(([k, v]) => [k, String(v)]));
  const s = q.toString();
  return s ? `?${s}` : '';
}

function exportsOf(doc: DocumentRecord, filter: SummaryFilter) {
  const base = `/documents/${doc._id}/comments`;
  const q = filterString(filter);
  return { csv: `${base}/export.csv${q}`, xlsx: `${base}/export.xlsx${q}`, docx: `${base}/export.docx${q}`, pdf: `${base}/export.pdf${q}`, statistics: `${base}/statistics${q}` };
}

/** One comment as its page shows it to this caller: the thread, the delegation's edit trail, and what the caller may do. */
async function commentDetail(actor: CurrentUser, doc: DocumentRecord, commentId: string, locale: Locale) {
  const view = await commentView(actor, doc, commentId, locale);
  const c = view.comment as LabelledComment;
  return {
    ...commentJson(actor, c),
    // Oldest first, as kept (the page shows the newest first).
    edits: [...view.edits].reverse().map((e) => ({ at: iso(e.at), byName: e.byName, type: e.type, text: e.text, proposedChange: e.proposedChange ?? null, merged: !!e.merged })),
    can: { edit: view.canEdit, drop: view.canDrop, merge: view.canDrop && view.mergeTargets.length > 0, dispose: view.canDispose },
    mergeTargets: view.mergeTargets.map((t) => t.id),
  };
}

async function positionJson(actor: CurrentUser, doc: DocumentRecord, locale: Locale, now: Date) {
  const delegation = delegationOf(actor);
  const [page, position] = await Promise.all([releasePage(actor, doc, locale, now), doc.round > 0 ? positionOf(doc, delegation) : null]);
  return {
    document: String(doc._id), round: doc.round, delegation, released: page.released,
    releasedAt: position ? iso(position.releasedAt) : null, releasedByName: position?.releasedByName ?? null,
    count: page.released ? position!.count : page.count, canRelease: page.canRelease,
  };
}

/** The export types as Accept names them (without parameters), in the order they are offered. */
function mediaTypes(): string[] {
  return Object.values(EXPORT_TYPES).map((t) => t.split(';')[0]!);
}

/** The export the caller's Accept asks for; JSON (undefined) unless it prefers one of the files. */
function negotiated(req: Request): ExportKind | undefined {
  const best = req.accepts(['application/json', ...mediaTypes()]);
  const kinds = Object.keys(EXPORT_TYPES) as ExportKind[];
  return kinds.find((k) => EXPORT_TYPES[k].split(';')[0] === best);
}

// ── Operations ───────────────────────────────────────────────────────────────────────────────────────

const idParam = { id: objectIdParam };
const commentParams = { id: objectIdParam, commentId: objectIdParam };

export const commentApi: ApiOperation[] = [
  {
    id: 'listComments', method: 'get', path: '/api/documents/:id/comments', tag: 'comments', params: idParam, query: listQuery, response: listOut,
    summary: "The comments the caller may see on a document: the released ones of the round (filtered, 100 a page, in clause order) and, in the current round, the own delegation's unreleased and dropped ones; what the caller may do; links to the summary and its exports",
    access: 'committee roles (administrator, secretariat, head, member)',
  },
  {
    id: 'postComment', method: 'post', path: '/api/documents/:id/comments', tag: 'comments', params: idParam, body: postBody, status: 201, location: true, response: commentDetailOut,
    summary: "Write a comment of the caller's delegation on a clause of the circulated revision (type ge, te or ed); it stays internal to the delegation until the head releases the national position",
    access: 'head or member of a delegation, while the comment period is open and the position is not released',
  },
  {
    id: 'getCommentSummary', method: 'get', path: '/api/documents/:id/comment-summary', tag: 'comments', params: idParam, query: filterQuery, response: summaryOut,
    summary: 'The summary of the released comments of a round as the exports hold it (the ISO/IEC template columns), with its statistics and links to the CSV, XLSX, DOCX and PDF; with Accept naming one of those types, the file itself',
    access: 'committee roles', alternatives: mediaTypes(),
  },
  {
    id: 'getPosition', method: 'get', path: '/api/documents/:id/position', tag: 'comments', params: idParam, response: positionOut,
    summary: "The delegation's national position in the current round: released or not, and how many comments it holds or would release",
    access: 'head of a delegation',
  },
  {
    id: 'releasePosition', method: 'post', path: '/api/documents/:id/position', tag: 'comments', params: idParam, status: 201, location: true, response: positionOut,
    summary: "Release the delegation's national position: its internal comments are numbered (BY-001 …) and become visible to the committee; this cannot be undone",
    access: 'head of a delegation, while the comment period is open',
  },
  {
    id: 'getComment', method: 'get', path: '/api/documents/:id/comments/:commentId', tag: 'comments', params: commentParams, response: commentDetailOut,
    summary: "One comment with its replies, its disposition and (to its own delegation) its edit trail, and what the caller may do with it",
    access: 'committee roles; an unreleased comment only to its own delegation (to anyone else it is not found)',
  },
  {
    id: 'editComment', method: 'patch', path: '/api/documents/:id/comments/:commentId', tag: 'comments', params: commentParams, body: patchBody, response: commentDetailOut,
    summary: 'Change the type, text, proposed change, line number or anchor of an unreleased comment at the version read; the earlier wording is kept in the edit trail',
    access: 'the author, while the comment period is open and the position is not released',
  },
  {
    id: 'replyToComment', method: 'post', path: '/api/documents/:id/comments/:commentId/replies', tag: 'comments', params: commentParams, body: replyBody, status: 201, location: true, response: commentDetailOut,
    summary: "Reply to a comment: on an unreleased one inside the delegation, on a released one before the committee",
    access: 'committee roles who may see the comment',
  },
  {
    id: 'dropComment', method: 'post', path: '/api/documents/:id/comments/:commentId/drop', tag: 'comments', params: commentParams, response: droppedOut,
    summary: 'Leave an unreleased comment out of the national position (the delegation still sees it as dropped)',
    access: 'head of the delegation, before the position is released',
  },
  {
    id: 'mergeComment', method: 'post', path: '/api/documents/:id/comments/:commentId/merge', tag: 'comments', params: commentParams, body: mergeBody, response: commentDetailOut,
    summary: 'Join this unreleased comment into another of the delegation (into): the texts are joined there and this one is retired; answers the joined comment',
    access: 'head of the delegation, before the position is released',
  },
  {
    id: 'disposeComment', method: 'post', path: '/api/documents/:id/comments/:commentId/disposition', tag: 'comments', params: commentParams, body: dispositionBody, response: commentDetailOut,
    summary: 'Set or change the disposition of a released comment: accepted, partially, rejected, noted or referred; partially and rejected need their reason',
    access: 'secretariat, in the comment and resolution stages',
  },
  {
    id: 'answerComment', method: 'post', path: '/api/documents/:id/comments/:commentId/answer', tag: 'comments', params: commentParams, body: answerBody, response: commentDetailOut,
    summary: "Record or change the delegation's answer to the disposition of its released comment: agreed, or not agreed with a reason (required); the same answer again records nothing. Answers the comment with its answer",
    access: 'head of the delegation that wrote the comment, while the document is in resolution of its round (before the ballot opens)',
  },
  {
    id: 'disposeComments', method: 'post', path: '/api/documents/:id/dispositions', tag: 'comments', params: idParam, body: bulkDispositionBody, response: bulkDispositionOut,
    summary: 'Give several released comments of the current round one disposition, all or none: if any cannot take it (not found, not released, its disposition changed since `seen`) nothing changes and the error names each in `fields`',
    access: 'secretariat, in the comment and resolution stages',
  },
];

// ── Routes ───────────────────────────────────────────────────────────────────────────────────────────

const commentId = (req: Request) => String(req.params.commentId);

export function commentApiRoutes(deps: { notices: Notices; pdfAssets: PdfAssets }): RouteDef[] {
  return [
    route('get', '/api/documents/:id/comments', committee, async (req, res) => {
      const doc = await getDocument(req.user, docId(req));
      const filter = queryOf(req, listQuery);
      const actor = req.user!;
      const page = await commentsPage(actor, doc, filter, res.locals.locale, req.now);
      const round = page.round;
      res.json({
        document: String(doc._id), state: doc.state, round, currentRound: doc.round, rounds: page.rounds.map((r) => r.n),
        period: doc.commentPeriod ? { revision: doc.commentPeriod.revision, opensAt: iso(doc.commentPeriod.opensAt), closesAt: iso(doc.commentPeriod.closesAt) } : null,
        delegation: page.isDelegate ? actor.delegationCode! : null,
        position: page.position ? { released: page.position.numbered, releasedAt: iso(page.position.releasedAt), releasedByName: page.position.releasedByName ?? null, count: page.position.count } : null,
        can: { comment: page.canComment, release: page.canRelease },
        // The delegation's own unreleased comments belong to the current round alone.
        internal: round === doc.round ? page.internal.map((c) => commentJson(actor, c as LabelledComment)) : [],
        released: { total: page.pager.total, page: page.pager.page, pages: page.pager.pages, pageSize: SUMMARY_PAGE_SIZE, comments: page.rows.map((c) => commentJson(actor, c as LabelledComment)) },
        links: { page: `/documents/${doc._id}/comments${filterString({ ...filter, round })}`, summary: `/api/documents/${doc._id}/comment-summary${filterString({ ...filter, round })}`, exports: exportsOf(doc, { ...filter, round }) },
      });
    }),

    route('post', '/api/documents/:id/comments', delegates, async (req, res) => {
      const doc = await getDocument(req.user, docId(req)); // an unknown document is not found, whatever was posted
      const body = parseInput(postBody, req.body);
      const c = await postComment(req.user!, docId(req), { clauseKey: body.clauseKey, type: body.type, text: body.text, proposedChange: body.proposedChange, line: body.line, anchorKind: body.anchor?.kind, anchorRef: body.anchor?.ref }, req.now, deps.notices);
      res.status(201).location(`/api/documents/${docId(req)}/comments/${c._id}`).json(await commentDetail(req.user!, doc, String(c._id), res.locals.locale));
    }),

    route('get', '/api/documents/:id/comment-summary', committee, async (req, res) => {
      const doc = await getDocument(req.user, docId(req));
      const filter = queryOf(req, filterQuery);
      const round = filter.round ?? doc.round;
      res.vary('Accept');
      const kind = negotiated(req);
      if (kind) return sendCommentExport(kind, req, res, doc, { ...filter, round }, deps.pdfAssets);
      const rows: ExportRow[] = [];
      if (doc.round > 0) for await (const batch of summaryBatches(doc, { ...filter, round }, res.locals.locale)) rows.push(...exportRows(batch));
      const stats = await statisticsOfRound(doc, round);
      res.json({
        document: String(doc._id), round, columns: isoColumns.map(({ key, ru, en }) => ({ key, ru, en })), rows,
        statistics: { delegations: stats.delegations, types: [...stats.types], outcomes: [...stats.outcomes], total: stats.total, table: stats.table },
        links: { page: `/documents/${doc._id}/comments${filterString({ ...filter, round })}`, exports: exportsOf(doc, { ...filter, round }) },
      });
    }),

    route('get', '/api/documents/:id/position', heads, async (req, res) => {
      const doc = await getDocument(req.user, docId(req));
      res.json(await positionJson(req.user!, doc, res.locals.locale, req.now));
    }),

    route('post', '/api/documents/:id/position', heads, async (req, res) => {
      await releasePosition(req.user!, docId(req), req.now, deps.notices);
      const doc = await getDocument(req.user, docId(req));
      res.status(201).location(`/api/documents/${doc._id}/position`).json(await positionJson(req.user!, doc, res.locals.locale, req.now));
    }),

    route('get', '/api/documents/:id/comments/:commentId', committee, async (req, res) => {
      const { doc } = await commentOfDocument(req);
      res.json(await commentDetail(req.user!, doc, commentId(req), res.locals.locale));
    }),

    route('patch', '/api/documents/:id/comments/:commentId', delegates, async (req, res) => {
      const { comment, doc } = await ownComment(req);
      const body = parseInput(patchBody, req.body);
      const anchor = body.anchor === undefined ? comment.anchor : body.anchor;
      await editComment(req.user!, commentId(req), body.version, {
        type: body.type ?? comment.type,
        text: body.text ?? comment.text,
        proposedChange: body.proposedChange === undefined ? comment.proposedChange : body.proposedChange || undefined,
        line: body.line === undefined ? comment.line ?? undefined : body.line || undefined,
        anchorKind: anchor?.kind,
        anchorRef: anchor?.ref,
      }, req.now);
      res.json(await commentDetail(req.user!, doc, commentId(req), res.locals.locale));
    }),

    route('post', '/api/documents/:id/comments/:commentId/replies', committee, async (req, res) => {
      const { doc } = await commentOfDocument(req);
      await replyToComment(req.user!, commentId(req), parseInput(replyBody, req.body).text, req.now);
      res.status(201).location(`/api/documents/${doc._id}/comments/${commentId(req)}`).json(await commentDetail(req.user!, doc, commentId(req), res.locals.locale));
    }),

    route('post', '/api/documents/:id/comments/:commentId/drop', heads, async (req, res) => {
      await ownComment(req);
      await dropComment(req.user!, commentId(req), req.now);
      res.json({ id: commentId(req), status: 'dropped' });
    }),

    route('post', '/api/documents/:id/comments/:commentId/merge', heads, async (req, res) => {
      const { doc } = await ownComment(req);
      const { into } = parseInput(mergeBody, req.body);
      await mergeComments(req.user!, into, commentId(req), req.now);
      res.json(await commentDetail(req.user!, doc, into, res.locals.locale));
    }),

    route('post', '/api/documents/:id/comments/:commentId/answer', heads, async (req, res) => {
      // Another delegation's comment, or one of another document, is refused before the body is read (as the page).
      const { doc, comment } = await answerableComment(req.user!, commentId(req));
      if (String(comment.document) !== docId(req)) throw new NotFound('comments.notFound');
      const body = parseInput(answerBody, req.body);
      await answerDisposition(req.user!, commentId(req), { agreed: body.agreed, reason: body.reason }, req.now);
      res.json(await commentDetail(req.user!, doc, commentId(req), res.locals.locale));
    }),

    route('post', '/api/documents/:id/dispositions', secretariat, async (req, res) => {
      const doc = await getDocument(req.user, String(req.params.id));
      const body = parseInput(bulkDispositionBody, req.body);
      const disposed = await setDispositions(req.user!, doc, body.comments.map((c) => ({ id: c.id, seen: c.seen === undefined ? undefined : c.seen === null ? null : new Date(c.seen) })), body, req.now);
      res.json({ disposed });
    }),

    route('post', '/api/documents/:id/comments/:commentId/disposition', secretariat, async (req, res) => {
      const { doc } = await commentOfDocument(req);
      await setDisposition(req.user!, commentId(req), parseInput(dispositionBody, req.body), req.now);
      res.json(await commentDetail(req.user!, doc, commentId(req), res.locals.locale));
    }),
  ];
}
