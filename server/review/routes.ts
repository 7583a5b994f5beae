// The systematic review's pages and API (docs/review.md): the review of a standard with its date and answers,
// opening it, the heads' answers, the secretariat's act on a page of its own, and the act's PDF.
import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { CurrentUser } from '../auth/index.js';
import { anyone, role, signedIn } from '../auth/index.js';
import { getDocument, parseCommitteeDeadline } from '../documents/index.js';
import { AppError, Forbidden } from '../errors.js';
import { sendAsAttachment } from '../http/attachment.js';
import { renderFormError } from '../http/forms.js';
import { objectIdParam, type ApiOperation } from '../http/openapi.js';
import { route, type RouteDef } from '../http/route-table.js';
import { optionalText, parseInput, text } from '../http/validate.js';
import type { Locale } from '../i18n/index.js';
import type { Lifecycle } from '../lifecycle/index.js';
import type { PdfAssets } from '../pdf/assets.js';
import { addDays, dayOf } from '../time/days.js';
import { formatDay, formatInstant } from '../time/format.js';
import { timeLeft } from '../time/time-left.js';
import { followUpText } from './act.js';
import { actOf, answerReview, answers, openReview, readAct, recordAct, reviewOfDocument, type ReviewOfDocument, type ReviewRecord } from './service.js';

const answerBody = z.strictObject({ answer: z.enum(answers, 'review.answerRequired'), reason: text(10_000) });
const openBody = z.strictObject({ closesDate: z.string().trim().min(1, 'validation.required'), closesTime: optionalText(5) });
const actBody = z.strictObject({ outcome: z.enum(answers, 'review.outcomeRequired').optional(), reason: optionalText(10_000) });
/** Opening through the API: the closing day and time in committee time (UTC+3), as the form takes them (23:59 when no time is given). */
const openApiBody = z.strictObject({
  closesDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'documents.deadlineFormat'),
  closesTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'documents.deadlineFormat').optional(),
});

const answerOut = z.object({ delegation: z.string(), answer: z.enum(answers), reason: z.string(), byName: z.string(), at: z.string() });
const reviewOut = z.object({
  number: z.number(), status: z.enum(['open', 'closed', 'done']), dueOn: z.string(), openedAt: z.string(), closesAt: z.string(), closedAt: z.string().nullable(),
  answers: z.array(answerOut), agreed: z.enum(answers).nullable(), disagreement: z.boolean(), outcome: z.enum(answers).nullable(), decisionReason: z.string().nullable(),
  nextReview: z.string().nullable(), successor: z.string().nullable(), amendment: z.string().nullable(), act: z.string().nullable(),
});
const documentReviewOut = z.object({ document: z.string(), state: z.string(), reviewDate: z.string().nullable(), due: z.enum(['due', 'soon', 'later']).nullable(), current: reviewOut.nullable(), done: z.array(reviewOut) });

export const reviewApi: ApiOperation[] = [
  { id: 'getReview', method: 'get', path: '/api/documents/:id/review', params: { id: objectIdParam }, tag: 'review', summary: "A published standard's review date, the review under way (answers, outcome) and the finished reviews with their acts", access: 'committee roles (to anyone else the document is not found)', anonymous: true, response: documentReviewOut },
  { id: 'openReview', method: 'post', path: '/api/documents/:id/review/open', params: { id: objectIdParam }, tag: 'review', summary: "Open the systematic review of a published standard whose review date is near or past, until the closing day and time given (committee time); refused (409) while one is open or before it is due", access: 'secretariat', body: openApiBody, status: 201, response: documentReviewOut },
  { id: 'actReview', method: 'post', path: '/api/documents/:id/review/act', params: { id: objectIdParam }, tag: 'review', summary: "Draw up the act of the closed review and take its outcome's action (a successor draft, an amendment, a withdrawal, the next review date): when the delegations disagreed, the outcome and its reason are the secretariat's; this cannot be undone", access: 'secretariat', body: actBody, response: documentReviewOut },
  { id: 'answerReview', method: 'post', path: '/api/documents/:id/review/answer', params: { id: objectIdParam }, tag: 'review', summary: "Give or change the delegation's answer to the open systematic review: confirm, revise, amend or withdraw, with a reason; the last answer closes the review", access: 'head of an active delegation', body: answerBody, response: documentReviewOut.extend({ closed: z.boolean() }) },
];

const heads: RequestHandler[] = [signedIn, (req, _res, next) => next(req.user!.role === 'head' ? undefined : new Forbidden('ballots.headOnly'))];
const docId = (req: Request) => String(req.params.id);
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function reviewJson(r: ReviewRecord) {
  return {
    number: r.number, status: r.status, dueOn: r.dueOn, openedAt: r.openedAt.toISOString(), closesAt: r.closesAt.toISOString(), closedAt: iso(r.closedAt),
    answers: [...r.answers].sort((a, b) => a.delegation.localeCompare(b.delegation)).map((a) => ({ delegation: a.delegation, answer: a.answer, reason: a.reason, byName: a.byName, at: a.at.toISOString() })),
    agreed: r.agreed ?? null, disagreement: r.status !== 'open' && !r.agreed, outcome: r.outcome ?? null, decisionReason: r.decisionReason ?? null,
    nextReview: r.followUp?.nextReview ?? null, successor: r.followUp?.successor ? String(r.followUp.successor) : null, amendment: r.followUp?.amendment ? String(r.followUp.amendment) : null, act: r.act ? `/documents/${r.document}/review/${r.number}/act.pdf` : null,
  };
}

function documentReviewJson(r: ReviewOfDocument) {
  return { document: String(r.doc._id), state: r.doc.state, reviewDate: r.dueOn ?? null, due: r.due ?? null, current: r.current ? reviewJson(r.current) : null, done: r.done.map(reviewJson) };
}

function reviewView(r: ReviewRecord, codes: string[], locale: Locale, now: Date) {
  const entitled = r.status === 'open' ? codes : r.delegations;
  return {
    ...r,
    openedAtText: formatInstant(r.openedAt, locale), closesAtText: formatInstant(r.closesAt, locale),
    left: r.status === 'open' && r.closesAt > now ? timeLeft(r.closesAt, now, locale) : undefined,
    rows: entitled.map((d) => ({ delegation: d, ...(r.answers.find((a) => a.delegation === d) ?? {}) })),
    disagreement: r.status !== 'open' && !r.agreed,
    followUpText: r.status === 'done' ? followUpText(r, locale) : undefined,
    successor: r.followUp?.successor ? String(r.followUp.successor) : undefined,
    amendment: r.followUp?.amendment ? String(r.followUp.amendment) : undefined,
    actHref: r.act ? `/documents/${r.document}/review/${r.number}/act.pdf` : undefined,
  };
}

function reviewPage(actor: CurrentUser | undefined, r: ReviewOfDocument, locale: Locale, now: Date) {
  const current = r.current;
  const mine = current && actor?.delegationCode ? current.answers.find((a) => a.delegation === actor.delegationCode) : undefined;
  const isSecretariat = actor?.role === 'secretariat';
  return {
    title: 'review.title',
    doc: { id: String(r.doc._id), title: r.doc.titles[locale] || r.doc.titles.ru, state: r.doc.state, designation: r.doc.publication?.designation },
    dueOn: r.dueOn && formatDay(r.dueOn, locale), due: r.due, reviewYears: r.reviewYears,
    current: current && reviewView(current, r.activeCodes, locale, now),
    done: r.done.map((d) => reviewView(d, r.activeCodes, locale, now)),
    canOpen: isSecretariat && !current && (r.due === 'due' || r.due === 'soon'),
    defaultDate: addDays(dayOf(now), r.ballotDays),
    canAnswer: !!actor && actor.role === 'head' && !!actor.delegationCode && r.activeCodes.includes(actor.delegationCode) && current?.status === 'open' && current.closesAt > now,
    canAct: isSecretariat && current?.status === 'closed',
    delegation: actor?.delegationCode,
    mine,
    answers,
    values: { answer: mine?.answer, reason: mine?.reason },
  };
}

export function reviewRoutes(deps: { lifecycle: Lifecycle; assets: PdfAssets }): RouteDef[] {
  const secretariat = role('secretariat');
  const again = async (req: Request, res: Response, err: unknown, view = 'review/show') => {
    if (!(err instanceof AppError) || ![409, 422].includes(err.status)) throw err;
    let page;
    try {
      page = reviewPage(req.user, await reviewOfDocument(req.user, docId(req), req.now), res.locals.locale, req.now);
    } catch {
      throw err;
    }
    renderFormError(res, view, err, req.body, page);
  };
  return [
    route('get', '/documents/:id/review', anyone, async (req, res) => {
      const r = await reviewOfDocument(req.user, docId(req), req.now);
      res.render('review/show', { ...reviewPage(req.user, r, res.locals.locale, req.now), saved: typeof req.query.saved === 'string' ? req.query.saved : undefined });
    }),
    route('post', '/documents/:id/review/open', secretariat, async (req, res) => {
      await getDocument(req.user, docId(req)); // an unknown document is not found, whatever was posted
      try {
        const body = parseInput(openBody, req.body);
        await openReview(req.user!, docId(req), parseCommitteeDeadline(body.closesDate, body.closesTime), req.now);
        res.redirect(303, `/documents/${docId(req)}/review?saved=opened`);
      } catch (err) {
        await again(req, res, err);
      }
    }),
    route('post', '/documents/:id/review/answer', heads, async (req, res) => {
      await getDocument(req.user, docId(req)); // an unknown document is not found, whatever was posted
      try {
        await answerReview(req.user!, docId(req), parseInput(answerBody, req.body), req.now, req.log);
        res.redirect(303, `/documents/${docId(req)}/review?saved=answered`);
      } catch (err) {
        await again(req, res, err);
      }
    }),
    // Drawing up the act takes the outcome's action (a new draft, a withdrawal): it is confirmed on a page of its own.
    route('get', '/documents/:id/review/act', secretariat, async (req, res) => {
      res.render('review/act', reviewPage(req.user, await reviewOfDocument(req.user, docId(req), req.now), res.locals.locale, req.now));
    }),
    route('post', '/documents/:id/review/act', secretariat, async (req, res) => {
      await getDocument(req.user, docId(req)); // an unknown document is not found, whatever was posted
      try {
        await recordAct(req.user!, docId(req), parseInput(actBody, req.body), req.now, deps);
        res.redirect(303, `/documents/${docId(req)}/review?saved=act`);
      } catch (err) {
        await again(req, res, err, 'review/act');
      }
    }),
    route('get', '/documents/:id/review/:number/act.pdf', anyone, async (req, res) => {
      const r = await actOf(req.user, docId(req), Number(req.params.number));
      const bytes = await readAct(r.act!.fileId);
      sendAsAttachment(res, `review-act-${r.designation.replace(/[^\p{L}\p{N}-]+/gu, '-')}-${r.number}.pdf`, 'application/pdf');
      res.set('Cache-Control', 'private, no-store');
      res.send(bytes);
    }),
    route('get', '/api/documents/:id/review', anyone, async (req, res) => {
      res.json(documentReviewJson(await reviewOfDocument(req.user, docId(req), req.now)));
    }),
    route('post', '/api/documents/:id/review/open', secretariat, async (req, res) => {
      await getDocument(req.user, docId(req)); // an unknown document is not found, whatever was posted
      const body = parseInput(openApiBody, req.body);
      await openReview(req.user!, docId(req), parseCommitteeDeadline(body.closesDate, body.closesTime), req.now);
      res.status(201).json(documentReviewJson(await reviewOfDocument(req.user, docId(req), req.now)));
    }),
    route('post', '/api/documents/:id/review/act', secretariat, async (req, res) => {
      await getDocument(req.user, docId(req));
      await recordAct(req.user!, docId(req), parseInput(actBody, req.body ?? {}), req.now, deps);
      res.json(documentReviewJson(await reviewOfDocument(req.user, docId(req), req.now)));
    }),
    route('post', '/api/documents/:id/review/answer', heads, async (req, res) => {
      await getDocument(req.user, docId(req));
      const outcome = await answerReview(req.user!, docId(req), parseInput(answerBody, req.body ?? {}), req.now, req.log);
      res.json({ ...documentReviewJson(await reviewOfDocument(req.user, docId(req), req.now)), ...outcome });
    }),
  ];
}

