import type { Request, Response } from 'express';
import { z } from 'zod';
import { anyone, role } from '../auth/index.js';
import { AppError, Conflict, InvalidInput, NotFound } from '../errors.js';
import { renderFormError } from '../http/forms.js';
import { route, type RouteDef } from '../http/route-table.js';
import { optionalText, parseInput, text } from '../http/validate.js';
import { translate, type Locale } from '../i18n/index.js';
import { clauseContentFromForm, clauseFormSchema, formValuesOf, fullPatch } from './clause-form.js';
import { CLAUSE_KINDS, type Clause } from '../text/clauses.js';
import { parseCommitteeDeadline } from './deadline.js';
import { detailsInput } from './inputs.js';
import { listProductGroups } from './product-groups.js';
import { comparePage, documentPage, editorPage } from './pages.js';
import {
  createDocument,
  editClauses,
  EditConflict,
  getDocument,
  getRevision,
  listDocuments,
  seesDrafts,
  startNewRevision,
  updateDocumentDetails,
  type ClauseAction,
} from './index.js';
import type { Template } from './templates.js';
import { GuardRefusal, type Lifecycle } from '../lifecycle/index.js';

const createInput = z.strictObject({ kind: text(60), ...detailsInput });
const detailsOnly = z.strictObject(detailsInput);
const versionOnly = z.strictObject({ version: z.string().regex(/^\d+$/, 'validation.invalid') });
const moveInput = z.strictObject({ version: z.string().regex(/^\d+$/), direction: z.enum(['up', 'down', 'in', 'out'], 'validation.choice') });
const transitionInput = z.strictObject({
  note: optionalText(2000),
  rev: z.string().regex(/^\d+$/).optional(),
  closesDate: z.string().max(10).optional(),
  closesTime: z.string().max(5).optional(),
});

export interface DocumentRouteDeps {
  templates: readonly Template[];
  lifecycle: Lifecycle;
}

const id = (req: Request) => String(req.params.id);

export function documentRoutes(deps: DocumentRouteDeps): RouteDef[] {
  const secretariat = role('secretariat');
  const templateList = (locale: Locale) => deps.templates.map((t) => ({ id: t.id, name: t.names[locale], description: t.description[locale] }));

  const newForm = async (res: Response) => ({ title: 'documents.newTitle', templates: templateList(res.locals.locale), productGroups: await listProductGroups() });

  /** After an edit: back to the editor at the clause that changed. */
  const backToEditor = (res: Response, docId: string, key?: string) => res.redirect(303, `/documents/${docId}/edit${key ? `#clause-${key}` : ''}`);

  /** Shows the editor again with the reason an edit was refused (409 for a conflict, 422 for bad input). */
  const editorWithError = async (req: Request, res: Response, err: unknown, form?: { view: string; extra: Record<string, unknown> }) => {
    if (!(err instanceof AppError) || (err.status !== 409 && err.status !== 422)) throw err;
    const locale: Locale = res.locals.locale;
    const doc = await getDocument(req.user, id(req));
    const conflictEdits = err instanceof EditConflict ? err.edits : undefined;
    if (form) {
      const page = await editorPage(doc, locale);
      return renderFormError(res, form.view, err, req.body, { ...page, ...form.extra, conflictEdits });
    }
    res.status(err.status).render('documents/edit', { ...(await editorPage(doc, locale)), error: translate(locale, err.messageKey, err.params), conflictEdits });
  };

  const clauseAction = (req: Request, action: (version: number) => ClauseAction) => {
    const body = req.body as Record<string, unknown>;
    const version = Number(typeof body?.version === 'string' ? body.version : NaN);
    if (!Number.isInteger(version)) throw new InvalidInput('validation.invalid', {}, { version: 'validation.invalid' });
    return editClauses(req.user!, deps.templates, id(req), version, action(version), req.now);
  };

  return [
    route('get', '/documents', anyone, async (req, res) => {
      res.render('documents/index', { title: 'documents.title', documents: await listDocuments(req.user), canCreate: req.user?.role === 'secretariat' });
    }),

    route('get', '/documents/new', secretariat, async (_req, res) => res.render('documents/new', await newForm(res))),

    route('post', '/documents', secretariat, async (req, res) => {
      try {
        const doc = await createDocument(req.user!, deps.templates, parseInput(createInput, req.body), req.now);
        res.redirect(303, `/documents/${doc._id}`);
      } catch (err) {
        renderFormError(res, 'documents/new', err, req.body, await newForm(res));
      }
    }),

    route('get', '/documents/:id', anyone, async (req, res) => {
      const doc = await getDocument(req.user, id(req));
      // Outside the committee the published text is the document's only text.
      const shown = seesDrafts(req.user) ? doc.currentRevision : (doc.publication?.revision ?? doc.currentRevision);
      res.render('documents/show', await documentPage(req.user, doc, shown, res.locals.locale, req.now));
    }),

    route('get', '/documents/:id/revisions/:number', anyone, async (req, res) => {
      const doc = await getDocument(req.user, id(req));
      const n = Number(req.params.number);
      if (!Number.isInteger(n)) throw new NotFound('documents.revisionNotFound');
      res.render('documents/show', await documentPage(req.user, doc, n, res.locals.locale, req.now));
    }),

    route('get', '/documents/:id/compare', anyone, async (req, res) => {
      const doc = await getDocument(req.user, id(req));
      const to = Number(req.query.to ?? doc.currentRevision);
      const from = Number(req.query.from ?? Math.max(1, to - 1));
      res.render('documents/compare', { title: 'documents.compareTitle', ...(await comparePage(req.user, doc, from, to, res.locals.locale)) });
    }),

    route('get', '/documents/:id/edit', secretariat, async (req, res) => {
      const doc = await getDocument(req.user, id(req));
      res.render('documents/edit', await editorPage(doc, res.locals.locale));
    }),

    route('post', '/documents/:id/details', secretariat, async (req, res) => {
      try {
        await updateDocumentDetails(req.user!, id(req), parseInput(detailsOnly, req.body), req.now);
        res.redirect(303, `/documents/${id(req)}/edit`);
      } catch (err) {
        await editorWithError(req, res, err, { view: 'documents/edit', extra: { detailsErrorOpen: true } });
      }
    }),

    route('get', '/documents/:id/clauses/new', secretariat, async (req, res) => {
      const doc = await getDocument(req.user, id(req));
      const kind = CLAUSE_KINDS.includes(req.query.kind as Clause['kind']) ? (req.query.kind as Clause['kind']) : 'text';
      const page = await editorPage(doc, res.locals.locale);
      const after = typeof req.query.after === 'string' ? req.query.after : '';
      res.render('documents/clause-form', { ...page, title: 'clauses.newTitle', isNew: true, values: { kind, after, position: req.query.position === 'child' ? 'child' : 'after', version: page.revision.version } });
    }),

    route('post', '/documents/:id/clauses', secretariat, async (req, res) => {
      try {
        const form = parseInput(clauseFormSchema, req.body);
        const doc = await getDocument(req.user, id(req));
        const rev = await getRevision(doc, doc.currentRevision);
        const after = form.after ? rev.clauses.find((c) => c.key === form.after) : undefined;
        if (form.after && !after) throw new Conflict('clauses.afterGone');
        const depth = after ? after.depth + (form.position === 'child' ? 1 : 0) : 0;
        const result = await clauseAction(req, () => ({ type: 'insert', afterKey: after?.key ?? (rev.clauses.at(-1)?.key ?? null), clause: { ...clauseContentFromForm(form), depth: after ? depth : 0 } as Omit<Clause, 'key'> }));
        backToEditor(res, id(req), result.key);
      } catch (err) {
        await editorWithError(req, res, err, { view: 'documents/clause-form', extra: { title: 'clauses.newTitle', isNew: true } });
      }
    }),

    route('get', '/documents/:id/clauses/:key/edit', secretariat, async (req, res) => {
      const doc = await getDocument(req.user, id(req));
      const page = await editorPage(doc, res.locals.locale);
      const clause = page.revision.clauses.find((c: Clause) => c.key === req.params.key);
      if (!clause) throw new NotFound('clauses.notFound');
      res.render('documents/clause-form', { ...page, title: 'clauses.editTitle', clauseKey: clause.key, values: { ...formValuesOf(clause), version: page.revision.version } });
    }),

    route('post', '/documents/:id/clauses/:key', secretariat, async (req, res) => {
      const key = String(req.params.key);
      try {
        const form = parseInput(clauseFormSchema, req.body);
        await clauseAction(req, () => ({ type: 'update', key, patch: fullPatch(clauseContentFromForm(form)) }));
        backToEditor(res, id(req), key);
      } catch (err) {
        await editorWithError(req, res, err, { view: 'documents/clause-form', extra: { title: 'clauses.editTitle', clauseKey: key } });
      }
    }),

    route('post', '/documents/:id/clauses/:key/move', secretariat, async (req, res) => {
      const key = String(req.params.key);
      try {
        const { direction } = parseInput(moveInput, req.body);
        await clauseAction(req, () => ({ type: 'move', key, direction }));
        backToEditor(res, id(req), key);
      } catch (err) {
        await editorWithError(req, res, err);
      }
    }),

    route('post', '/documents/:id/clauses/:key/delete', secretariat, async (req, res) => {
      const key = String(req.params.key);
      try {
        parseInput(versionOnly, req.body);
        await clauseAction(req, () => ({ type: 'remove', key }));
        backToEditor(res, id(req));
      } catch (err) {
        await editorWithError(req, res, err);
      }
    }),

    route('post', '/documents/:id/revisions', secretariat, async (req, res) => {
      try {
        await startNewRevision(req.user!, id(req), req.now);
        backToEditor(res, id(req));
      } catch (err) {
        await editorWithError(req, res, err);
      }
    }),

    route('post', '/documents/:id/transitions/:name', secretariat, async (req, res) => {
      const name = String(req.params.name);
      try {
        const input = parseInput(transitionInput, req.body);
        const closesAt = input.closesDate ? parseCommitteeDeadline(input.closesDate, input.closesTime || undefined) : undefined;
        await deps.lifecycle.move(req.user!, id(req), name, { now: req.now, note: input.note, rev: input.rev === undefined ? undefined : Number(input.rev), closesAt, log: req.log });
        res.redirect(303, `/documents/${id(req)}`);
      } catch (err) {
        if (!(err instanceof AppError) || ![409, 422].includes(err.status)) throw err;
        const doc = await getDocument(req.user, id(req));
        const page = await documentPage(req.user, doc, doc.currentRevision, res.locals.locale, req.now);
        const blockers = err instanceof GuardRefusal ? await deps.lifecycle.blockers(err.guard, doc) : [];
        renderFormError(res, 'documents/show', err, req.body, { ...page, failedTransition: name, blockers });
      }
    }),
  ];
}
