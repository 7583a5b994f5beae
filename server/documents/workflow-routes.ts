// A document moved along its workflow (secretariat): the next revision started, a transition made. A
// refused transition shows the document page again with the reason and, for a guard, what blocks it.
import type { Request } from 'express';
import { z } from 'zod';
import type { Locale } from '../i18n/index.js';
import { role } from '../auth/index.js';
import { AppError } from '../errors.js';
import { renderFormError } from '../http/forms.js';
import { route, type RouteDef } from '../http/route-table.js';
import { optionalText, parseInput } from '../http/validate.js';
import { GuardRefusal, type Lifecycle } from '../lifecycle/index.js';
import { parseCommitteeDeadline } from './deadline.js';
import { getDocument, startNewRevision } from './index.js';
import { checkPage, documentPage, type ClauseCommentsOf, type DisagreementsOf } from './pages.js';
import { backToEditor, documentId, editorWithError } from './route-helpers.js';
import { setTargets } from './targets.js';

const day = z.string('programme.invalidDay').max(10, 'programme.invalidDay');
const targetsInput = z.strictObject({ circulation: day, commentsEnd: day, ballot: day, publication: day, rev: z.string().regex(/^\d+$/).optional() });

const transitionInput = z.strictObject({
  note: optionalText(2000),
  rev: z.string().regex(/^\d+$/).optional(),
  closesDate: z.string().max(10).optional(),
  closesTime: z.string().max(5).optional(),
  acceptWarnings: z.literal('1').optional(),
});

/** The confirmation page of cancelling: what it does, and the reason to give. */
async function cancelPage(req: Request) {
  const doc = await getDocument(req.user, documentId(req));
  const locale: Locale = req.res!.locals.locale;
  return { title: 'documents.cancelTitle', doc: { id: String(doc._id), title: doc.titles[locale] || doc.titles.ru, rev: doc.rev } };
}

export function workflowRoutes(deps: { lifecycle: Lifecycle; clauseComments?: ClauseCommentsOf; disagreements?: DisagreementsOf }): RouteDef[] {
  const secretariat = role('secretariat');
  return [
    route('post', '/documents/:id/revisions', secretariat, async (req, res) => {
      try {
        await startNewRevision(req.user!, documentId(req), req.now);
        backToEditor(res, documentId(req));
      } catch (err) {
        await editorWithError(req, res, err);
      }
    }),

    route('get', '/documents/:id/check', secretariat, async (req, res) => {
      const doc = await getDocument(req.user, documentId(req));
      res.render('documents/check', await checkPage(doc, res.locals.locale));
    }),

    route('get', '/documents/:id/cancel', secretariat, async (req, res) => {
      res.render('documents/cancel', await cancelPage(req));
    }),

    route('post', '/documents/:id/cancel', secretariat, async (req, res) => {
      const id = documentId(req);
      try {
        const input = parseInput(transitionInput, req.body);
        await deps.lifecycle.move(req.user!, id, 'cancel', { now: req.now, note: input.note, rev: input.rev === undefined ? undefined : Number(input.rev), log: req.log });
        res.redirect(303, `/documents/${id}`);
      } catch (err) {
        if (!(err instanceof AppError) || ![409, 422].includes(err.status)) throw err;
        renderFormError(res, 'documents/cancel', err, req.body, await cancelPage(req));
      }
    }),

    // The work programme's target days of the document (docs/programme.md), kept with the change in its history.
    route('post', '/documents/:id/targets', secretariat, async (req, res) => {
      const id = documentId(req);
      try {
        const input = parseInput(targetsInput, req.body);
        await setTargets(req.user!, id, { ...input, rev: input.rev === undefined ? undefined : Number(input.rev) }, req.now);
        res.redirect(303, `/documents/${id}#plan`);
      } catch (err) {
        if (!(err instanceof AppError) || ![409, 422].includes(err.status)) throw err;
        const doc = await getDocument(req.user, id);
        const page = await documentPage(req.user, doc, doc.currentRevision, res.locals.locale, req.now, deps.clauseComments);
        renderFormError(res, 'documents/show', err, req.body, page, { failedTargets: true });
      }
    }),

    route('post', '/documents/:id/transitions/:name', secretariat, async (req, res) => {
      const name = String(req.params.name);
      const id = documentId(req);
      try {
        const input = parseInput(transitionInput, req.body);
        const closesAt = input.closesDate ? parseCommitteeDeadline(input.closesDate, input.closesTime || undefined) : undefined;
        await deps.lifecycle.move(req.user!, id, name, { now: req.now, note: input.note, rev: input.rev === undefined ? undefined : Number(input.rev), closesAt, acceptWarnings: input.acceptWarnings === '1', log: req.log });
        res.redirect(303, `/documents/${id}`);
      } catch (err) {
        if (!(err instanceof AppError) || ![409, 422].includes(err.status)) throw err;
        const doc = await getDocument(req.user, id);
        const page = await documentPage(req.user, doc, doc.currentRevision, res.locals.locale, req.now, deps.clauseComments, deps.disagreements);
        const blockers = err instanceof GuardRefusal ? await deps.lifecycle.blockers(err.guard, doc, name, res.locals.locale) : [];
        const blockersLead = err instanceof GuardRefusal && err.guard === 'qualityChecked' ? 'quality.blockersLead' : 'documents.openCommentsLead';
        renderFormError(res, 'documents/show', err, req.body, page, { failedTransition: name, blockers, blockersLead });
      }
    }),
  ];
}
