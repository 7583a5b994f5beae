// The comments page of a document: the summary and the delegation's own comments, a new comment, and the
// head's release of the delegation's position.
import { getDocument } from '../documents/index.js';
import { route, type RouteDef } from '../http/route-table.js';
import { parseInput } from '../http/validate.js';
import type { Notices } from '../notices/index.js';
import { newCommentInput } from './inputs.js';
import { commentsPage, releasePage } from './pages.js';
import { releasePosition } from './position.js';
import { committee, delegates, docId, filterOf, heads, refused } from './route-helpers.js';
import { postComment } from './service.js';

export function commentListRoutes(deps: { notices: Notices }): RouteDef[] {
  return [
    route('get', '/documents/:id/comments', committee, async (req, res) => {
      const doc = await getDocument(req.user, docId(req));
      // After an import (import/routes.ts): how many comments it stored, said once above the list.
      const imported = /^\d{1,4}$/.test(String(req.query.imported ?? '')) ? Number(req.query.imported) : undefined;
      // After a bulk disposition (bulk-routes.ts): how many comments took it; `select=all` ticks every row shown.
      const disposed = /^\d{1,4}$/.test(String(req.query.disposed ?? '')) ? Number(req.query.disposed) : undefined;
      res.render('comments/index', await commentsPage(req.user!, doc, filterOf(req), res.locals.locale, req.now, { imported, disposed, selectAll: req.query.select === 'all' }, req.query.write === '1'));
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
  ];
}

export function positionRoutes(deps: { notices: Notices }): RouteDef[] {
  return [
    route('get', '/documents/:id/position', heads, async (req, res) => {
      const doc = await getDocument(req.user, docId(req));
      res.render('comments/release', await releasePage(req.user!, doc, res.locals.locale, req.now));
    }),

    route('post', '/documents/:id/position', heads, async (req, res) => {
      try {
        await releasePosition(req.user!, docId(req), req.now, deps.notices);
        res.redirect(303, `/documents/${docId(req)}/comments?released=1`);
      } catch (err) {
        await refused(req, res, err, 'list');
      }
    }),
  ];
}
