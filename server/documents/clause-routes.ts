// The clauses of a draft, edited from the editor (secretariat): the clause form for a new clause or an
// existing one, and moving or deleting a clause. Each edit names the revision version it was made on.
import type { Request, Response } from 'express';
import { z } from 'zod';
import { role } from '../auth/index.js';
import { Conflict, InvalidInput, NotFound } from '../errors.js';
import { route, type RouteDef } from '../http/route-table.js';
import { parseInput } from '../http/validate.js';
import { CLAUSE_KINDS, type Clause } from '../text/clauses.js';
import { numberClauses } from '../text/numbering.js';
import { clauseContentFromForm, clauseFormSchema, formValuesOf, fullPatch } from './clause-form.js';
import { editClauses, getDocument, getRevision, type ClauseAction } from './index.js';
import { editorPage } from './pages.js';
import { backToEditor, documentId, editorWithError } from './route-helpers.js';
import type { Template } from './templates.js';

const versionOnly = z.strictObject({ version: z.string().regex(/^\d+$/, 'validation.invalid') });
const moveInput = z.strictObject({ version: z.string().regex(/^\d+$/), direction: z.enum(['up', 'down', 'in', 'out'], 'validation.choice') });

interface ClauseRouteDeps {
  templates: readonly Template[];
}

/** Makes one edit on the revision version the form carries. */
function clauseAction(req: Request, templates: readonly Template[], action: (version: number) => ClauseAction) {
  const body = req.body as Record<string, unknown>;
  const version = Number(typeof body?.version === 'string' ? body.version : NaN);
  if (!Number.isInteger(version)) throw new InvalidInput('validation.invalid', {}, { version: 'validation.invalid' });
  return editClauses(req.user!, templates, documentId(req), version, action(version), req.now);
}

/**
 * A step inside the clause form that saves nothing: a cross-reference chosen from the list of clauses
 * put at the end of the text, or another kind chosen for a new clause — the form comes back with all
 * that was typed. Answers false when the post is the form's save.
 */
async function formStep(req: Request, res: Response, extra: Record<string, unknown>): Promise<boolean> {
  const { insertRef, refTo, newKind, ...typed } = (req.body ?? {}) as Record<string, unknown>;
  const intent = insertRef === '1' ? 'insertRef' : newKind !== undefined ? 'kind' : undefined;
  if (!intent) return false;
  const doc = await getDocument(req.user, documentId(req));
  const page = await editorPage(doc, res.locals.locale);
  const values: Record<string, unknown> = { ...typed };
  if (intent === 'insertRef' && typeof refTo === 'string' && page.revision.clauses.some((c: Clause) => c.key === refTo)) {
    const field = values.kind === 'term' ? 'definition' : 'body';
    const text = typeof values[field] === 'string' ? (values[field] as string).replace(/\s+$/, '') : '';
    values[field] = `${text}${text ? ' ' : ''}[[ref:${refTo}]]`;
  }
  if (intent === 'kind' && CLAUSE_KINDS.includes(newKind as Clause['kind'])) values.kind = newKind;
  delete values._csrf;
  res.render('documents/clause-form', { ...page, ...extra, values });
  return true;
}

/** The save carries the chooser's field too (left empty or not): it is the step's, not the clause's. */
function withoutStepFields(body: unknown): unknown {
  if (!body || typeof body !== 'object') return body;
  const { refTo: _r, ...rest } = body as Record<string, unknown>;
  return rest;
}

/** The clause form: a new clause after another (or as its child), or an existing clause changed. */
export function clauseFormRoutes(deps: ClauseRouteDeps): RouteDef[] {
  const secretariat = role('secretariat');
  return [
    route('get', '/documents/:id/clauses/new', secretariat, async (req, res) => {
      const doc = await getDocument(req.user, documentId(req));
      const kind = CLAUSE_KINDS.includes(req.query.kind as Clause['kind']) ? (req.query.kind as Clause['kind']) : 'text';
      const page = await editorPage(doc, res.locals.locale);
      const after = typeof req.query.after === 'string' ? req.query.after : '';
      res.render('documents/clause-form', { ...page, title: 'clauses.newTitle', isNew: true, values: { kind, after, position: req.query.position === 'child' ? 'child' : 'after', version: page.revision.version } });
    }),

    route('post', '/documents/:id/clauses', secretariat, async (req, res) => {
      if (await formStep(req, res, { title: 'clauses.newTitle', isNew: true })) return;
      try {
        const form = parseInput(clauseFormSchema, withoutStepFields(req.body));
        const doc = await getDocument(req.user, documentId(req));
        const rev = await getRevision(doc, doc.currentRevision);
        const after = form.after ? rev.clauses.find((c) => c.key === form.after) : undefined;
        if (form.after && !after) throw new Conflict('clauses.afterGone');
        const depth = after ? after.depth + (form.position === 'child' ? 1 : 0) : 0;
        const result = await clauseAction(req, deps.templates, () => ({ type: 'insert', afterKey: after?.key ?? (rev.clauses.at(-1)?.key ?? null), clause: { ...clauseContentFromForm(form), depth: after ? depth : 0 } as Omit<Clause, 'key'> }));
        backToEditor(res, documentId(req), result.key);
      } catch (err) {
        await editorWithError(req, res, err, { view: 'documents/clause-form', extra: { title: 'clauses.newTitle', isNew: true } });
      }
    }),

    route('get', '/documents/:id/clauses/:key/edit', secretariat, async (req, res) => {
      const doc = await getDocument(req.user, documentId(req));
      const page = await editorPage(doc, res.locals.locale);
      const clause = page.revision.clauses.find((c: Clause) => c.key === req.params.key);
      if (!clause) throw new NotFound('clauses.notFound');
      res.render('documents/clause-form', { ...page, title: 'clauses.editTitle', clauseKey: clause.key, values: { ...formValuesOf(clause), version: page.revision.version } });
    }),

    route('post', '/documents/:id/clauses/:key', secretariat, async (req, res) => {
      const key = String(req.params.key);
      if (await formStep(req, res, { title: 'clauses.editTitle', clauseKey: key })) return;
      try {
        const form = parseInput(clauseFormSchema, withoutStepFields(req.body));
        await clauseAction(req, deps.templates, () => ({ type: 'update', key, patch: fullPatch(clauseContentFromForm(form)) }));
        backToEditor(res, documentId(req), key);
      } catch (err) {
        await editorWithError(req, res, err, { view: 'documents/clause-form', extra: { title: 'clauses.editTitle', clauseKey: key } });
      }
    }),
  ];
}

/** What deleting a clause takes with it: its number and heading, the clauses under it, and the version it is asked on. */
async function deletePage(req: Request, key: string) {
  const doc = await getDocument(req.user, documentId(req));
  const rev = await getRevision(doc, doc.currentRevision);
  const at = rev.clauses.findIndex((c) => c.key === key);
  if (at < 0) throw new NotFound('clauses.error.notFound');
  const clause = rev.clauses[at]!;
  let below = 0;
  while (rev.clauses[at + 1 + below] && rev.clauses[at + 1 + below]!.depth > clause.depth) below++;
  const locale: 'ru' | 'en' = req.res!.locals.locale;
  const label = numberClauses(rev.clauses).get(key)?.text[locale] ?? '';
  return {
    title: 'clauses.deleteTitle',
    doc: { id: String(doc._id), title: doc.titles[locale] || doc.titles.ru },
    clause: { key, label, heading: clause.heading ?? clause.term?.ru ?? clause.requirement?.parameter ?? clause.table?.caption ?? (clause.body ?? '').slice(0, 80) },
    below,
    version: rev.version,
    frozen: rev.frozen,
  };
}

/** A clause moved up, down, in or out (with its subtree), or deleted. */
export function clauseOrderRoutes(deps: ClauseRouteDeps): RouteDef[] {
  const secretariat = role('secretariat');
  return [
    route('post', '/documents/:id/clauses/:key/move', secretariat, async (req, res) => {
      const key = String(req.params.key);
      try {
        const { direction } = parseInput(moveInput, req.body);
        await clauseAction(req, deps.templates, () => ({ type: 'move', key, direction }));
        backToEditor(res, documentId(req), key);
      } catch (err) {
        await editorWithError(req, res, err);
      }
    }),

    route('get', '/documents/:id/clauses/:key/delete', secretariat, async (req, res) => {
      res.render('documents/delete-clause', await deletePage(req, String(req.params.key)));
    }),

    route('post', '/documents/:id/clauses/:key/delete', secretariat, async (req, res) => {
      const key = String(req.params.key);
      try {
        parseInput(versionOnly, req.body);
        await clauseAction(req, deps.templates, () => ({ type: 'remove', key }));
        backToEditor(res, documentId(req));
      } catch (err) {
        await editorWithError(req, res, err);
      }
    }),
  ];
}
