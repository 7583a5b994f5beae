// The commenter's answer to the dispositions (answers.ts): the delegation's page of its comments with the
// secretariat's dispositions and, for the head, a form per comment and "agree to all remaining".
import type { Request, Response } from 'express';
import type { CurrentUser } from '../auth/index.js';
import type { DocumentRecord } from '../documents/index.js';
import { getDocument } from '../documents/index.js';
import { AppError, InvalidInput, NotFound } from '../errors.js';
import { renderFormError } from '../http/forms.js';
import { route, type RouteDef } from '../http/route-table.js';
import { parseInput } from '../http/validate.js';
import type { Locale } from '../i18n/index.js';
import { formatInstant } from '../time/format.js';
import { agreeToRemaining, answerableComment, answerDisposition, answerHistoriesOf, delegationAnswers, dispositionChangedSince } from './answers.js';
import { answerInput } from './inputs.js';
import { delegates, docId, heads } from './route-helpers.js';

/** Everything the answer page shows to a head (who may answer) or a member (who reads). */
export async function answersPage(actor: CurrentUser, doc: DocumentRecord, locale: Locale, extra: Record<string, unknown> = {}) {
  const { rows, open } = await delegationAnswers(actor, doc, locale);
  const histories = rows.length ? await answerHistoriesOf(doc, doc.round, actor.delegationCode!) : new Map();
  const canAnswer = actor.role === 'head' && open === 'open';
  const items = rows.map((r) => ({
    ...r,
    choice: r.answer ? (r.answer.agreed ? 'yes' : 'no') : undefined,
    changedSince: dispositionChangedSince(r),
    history: (histories.get(r.id) ?? []).map((a: { at: Date }) => ({ ...a, atText: formatInstant(a.at, locale) })),
    canAnswer: canAnswer && !!r.disposition,
  }));
  const disposed = items.filter((r) => r.disposition);
  const missing = disposed.filter((r) => !r.answer).length;
  return {
    title: 'answers.title',
    doc: { id: String(doc._id), title: doc.titles[locale] || doc.titles.ru, state: doc.state, round: doc.round },
    delegation: actor.delegationCode,
    isHead: actor.role === 'head',
    open,
    canAnswer,
    rows: items,
    counts: { total: items.length, disposed: disposed.length, answered: disposed.length - missing, missing, disagreed: items.filter((r) => r.answer && !r.answer.agreed).length },
    canAgreeAll: canAnswer && missing > 0,
    ...extra,
  };
}

/** A refused answer shows the page again with the reason, and what was typed on the form that failed. */
async function refused(req: Request, res: Response, err: unknown): Promise<void> {
  if (!(err instanceof AppError) || ![409, 422].includes(err.status)) throw err;
  const doc = await getDocument(req.user, docId(req));
  const values = { ...(req.body as Record<string, unknown>), comment: req.params.commentId ? String(req.params.commentId) : undefined };
  renderFormError(res, 'comments/answers', err, values, await answersPage(req.user!, doc, res.locals.locale));
}

export function answerRoutes(): RouteDef[] {
  return [
    route('get', '/documents/:id/answers', delegates, async (req, res) => {
      const doc = await getDocument(req.user, docId(req));
      // After an answer: the comment it was given on, where the page says it is recorded.
      const saved = /^[0-9a-f]{24}$/.test(String(req.query.saved ?? '')) ? String(req.query.saved) : undefined;
      const agreed = /^\d{1,4}$/.test(String(req.query.agreed ?? '')) ? Number(req.query.agreed) : undefined;
      res.render('comments/answers', await answersPage(req.user!, doc, res.locals.locale, { saved, agreed }));
    }),

    route('post', '/documents/:id/answers', heads, async (req, res) => {
      await getDocument(req.user, docId(req));
      try {
        const n = await agreeToRemaining(req.user!, docId(req), req.now);
        res.redirect(303, `/documents/${docId(req)}/answers?agreed=${n}`);
      } catch (err) {
        await refused(req, res, err);
      }
    }),

    route('post', '/documents/:id/answers/:commentId', heads, async (req, res) => {
      // Another delegation's comment, or one of another document, is refused before the form is read.
      const { comment } = await answerableComment(req.user!, String(req.params.commentId));
      if (String(comment.document) !== docId(req)) throw new NotFound('comments.notFound');
      try {
        const input = parseInput(answerInput, req.body);
        if (!input.agreed) throw new InvalidInput('answers.chooseAnswer', {}, { agreed: 'answers.chooseAnswer' });
        await answerDisposition(req.user!, String(req.params.commentId), { agreed: input.agreed === 'yes', reason: input.reason }, req.now);
        res.redirect(303, `/documents/${docId(req)}/answers?saved=${req.params.commentId}#answer-${req.params.commentId}`);
      } catch (err) {
        await refused(req, res, err);
      }
    }),
  ];
}
