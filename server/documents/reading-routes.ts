// Reading a document: its current (or published) text, an earlier revision, two revisions compared.
import { anyone } from '../auth/index.js';
import { NotFound } from '../errors.js';
import { route, type RouteDef } from '../http/route-table.js';
import { getDocument, seesDrafts } from './index.js';
import { pageParam } from '../http/paging.js';
import { comparePage, documentPage, historyPage, type AppliedCommentsOf, type ClauseCommentsOf, type DisagreementsOf } from './pages.js';
import { documentId } from './route-helpers.js';
import type { CurrentUser } from '../auth/index.js';
import type { DocumentRecord } from './model.js';
import type { Day } from '../time/days.js';
import { formatDay } from '../time/format.js';
import type { Locale } from '../i18n/index.js';

/** A published standard's systematic review date for committee people (server/review, docs/review.md), given by the app. */
export type ReviewDateOf = (actor: CurrentUser | undefined, doc: DocumentRecord, now: Date) => Promise<{ dueOn: Day; due: 'due' | 'soon' | 'later' | undefined; open: boolean } | undefined>;

async function reviewPanel(reviewDate: ReviewDateOf | undefined, actor: CurrentUser | undefined, doc: DocumentRecord, now: Date, locale: Locale) {
  const r = await reviewDate?.(actor, doc, now);
  return r ? { review: { ...r, dueText: formatDay(r.dueOn, locale) } } : {};
}

export function readingRoutes(deps: { clauseComments?: ClauseCommentsOf; disagreements?: DisagreementsOf; appliedComments?: AppliedCommentsOf; reviewDate?: ReviewDateOf }): RouteDef[] {
  return [
    route('get', '/documents/:id', anyone, async (req, res) => {
      const doc = await getDocument(req.user, documentId(req));
      // Outside the committee the published text is the document's only text.
      const shown = seesDrafts(req.user) ? doc.currentRevision : (doc.publication?.revision ?? doc.currentRevision);
      res.render('documents/show', { ...(await documentPage(req.user, doc, shown, res.locals.locale, req.now, deps.clauseComments, deps.disagreements)), ...(await reviewPanel(deps.reviewDate, req.user, doc, req.now, res.locals.locale)) });
    }),

    route('get', '/documents/:id/revisions/:number', anyone, async (req, res) => {
      const doc = await getDocument(req.user, documentId(req));
      const n = Number(req.params.number);
      if (!Number.isInteger(n)) throw new NotFound('documents.revisionNotFound');
      res.render('documents/show', await documentPage(req.user, doc, n, res.locals.locale, req.now, deps.clauseComments, deps.disagreements));
    }),

    // The whole history, newest first, a page at a time (the document page shows the latest events).
    route('get', '/documents/:id/history', anyone, async (req, res) => {
      const doc = await getDocument(req.user, documentId(req));
      res.render('documents/history', historyPage(req.user, doc, pageParam(req.query.page), res.locals.locale));
    }),

    route('get', '/documents/:id/compare', anyone, async (req, res) => {
      const doc = await getDocument(req.user, documentId(req));
      const to = Number(req.query.to ?? doc.currentRevision);
      const from = Number(req.query.from ?? Math.max(1, to - 1));
      res.render('documents/compare', { title: 'documents.compareTitle', ...(await comparePage(req.user, doc, from, to, res.locals.locale, deps.appliedComments)) });
    }),
  ];
}
