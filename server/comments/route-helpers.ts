// What the comments routes share: who may call them, the document and the comment the address names, the
// summary's filter, and how a refused action is answered.
import type { Request, Response } from 'express';
import { role } from '../auth/index.js';
import { getDocument } from '../documents/index.js';
import { AppError, Forbidden, InvalidInput, NotFound } from '../errors.js';
import { renderFormError } from '../http/forms.js';
import type { Locale } from '../i18n/index.js';
import { summaryQuery } from './inputs.js';
import { commentsPage, commentView } from './pages.js';
import type { SummaryFilter } from './queries.js';
import { getVisibleComment } from './service.js';

export const committee = role('administrator', 'secretariat', 'head', 'member');
export const delegates = role('head', 'member');
export const heads = role('head');
export const secretariat = role('secretariat');

export const docId = (req: Request) => String(req.params.id);

export function filterOf(req: Request): SummaryFilter {
  const raw = Object.fromEntries(Object.entries(req.query).filter(([, v]) => typeof v === 'string' && v !== ''));
  const parsed = summaryQuery.safeParse(raw);
  if (!parsed.success) throw new InvalidInput('comments.badFilter');
  return parsed.data;
}

/** A comment of the caller's own delegation: another's may be visible, but it is not ours to change. */
export async function ownComment(req: Request) {
  const found = await commentOfDocument(req);
  if (found.comment.delegation !== req.user!.delegationCode) throw new Forbidden('comments.notYourDelegation');
  return found;
}

/** A comment of this document that the caller may see; any other is "not found". */
export async function commentOfDocument(req: Request) {
  const found = await getVisibleComment(req.user, String(req.params.commentId));
  if (String(found.comment.document) !== docId(req)) throw new NotFound('comments.notFound');
  return found;
}

/** Re-shows a page after a refused action, with the reason (and what was typed). */
export async function refused(req: Request, res: Response, err: unknown, view: 'list' | 'comment'): Promise<void> {
  if (!(err instanceof AppError) || ![409, 422].includes(err.status)) throw err;
  const doc = await getDocument(req.user, docId(req));
  const locale: Locale = res.locals.locale;
  if (view === 'comment') return renderFormError(res, 'comments/show', err, req.body, await commentView(req.user!, doc, String(req.params.commentId), locale));
  renderFormError(res, 'comments/index', err, req.body, await commentsPage(req.user!, doc, {}, locale, req.now, { formOpen: true }));
}
