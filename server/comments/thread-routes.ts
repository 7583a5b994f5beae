// One comment of a document: its page, the delegation's own changes (edit, drop, merge), replies, and
// the secretariat's disposition.
import { route, type RouteDef } from '../http/route-table.js';
import { parseInput } from '../http/validate.js';
import { setDisposition } from './dispositions.js';
import { dispositionInput, editCommentInput, mergeInput, replyInput } from './inputs.js';
import { commentView } from './pages.js';
import { commentOfDocument, committee, delegates, docId, heads, ownComment, refused, secretariat } from './route-helpers.js';
import { dropComment, editComment, mergeComments, replyToComment } from './service.js';

export function commentThreadRoutes(): RouteDef[] {
  return [
    route('get', '/documents/:id/comments/:commentId', committee, async (req, res) => {
      const { doc } = await commentOfDocument(req);
      res.render('comments/show', { ...(await commentView(req.user!, doc, String(req.params.commentId), res.locals.locale)), justApplied: req.query.applied === '1' });
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
