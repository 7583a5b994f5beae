// Applying an accepted comment's proposed change to the next revision (docs/applying-changes.md): the page
// with the clause as the proposal would change it, prefilled in the clause form beside the comment, and its
// confirmation (page and JSON API).
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { CurrentUser } from '../auth/index.js';
import { clauseFormSchema, EditConflict, formValuesOf, getDocument, type DocumentRecord, type Template } from '../documents/index.js';
import { AppError, InvalidInput } from '../errors.js';
import { renderFormError } from '../http/forms.js';
import { objectIdParam, type ApiOperation } from '../http/openapi.js';
import { route, type RouteDef } from '../http/route-table.js';
import { parseInput } from '../http/validate.js';
import { translate, type Locale } from '../i18n/index.js';
import type { Lifecycle } from '../lifecycle/index.js';
import type { Clause } from '../text/clauses.js';
import { numberClauses } from '../text/numbering.js';
import { revisionView } from '../text/view-model.js';
import { applicationOf, applyComment, suggestionFor, type ApplicationTarget } from './apply.js';
import { labelledComment } from './queries.js';
import { commentOfDocument, docId, secretariat } from './route-helpers.js';

interface ApplyRouteDeps {
  lifecycle: Lifecycle;
  templates: readonly Template[];
}

/** The redline of the revision a change went into, at the clause it changed (the comment page links here). */
export const redlineHref = (doc: string, fromRevision: number, toRevision: number, clauseKey: string) => `/documents/${doc}/compare?from=${fromRevision}&to=${toRevision}#clause-${clauseKey}`;

/** What the apply page shows: the comment, where the change goes, the clause now and the suggestion in the form. */
async function applyPage(actor: CurrentUser, doc: DocumentRecord, target: ApplicationTarget, locale: Locale) {
  const row = await labelledComment(doc, target.comment, locale);
  const suggestion = suggestionFor(target);
  const labels = numberClauses(target.clauses);
  const i = target.clauses.findIndex((c) => c.key === target.clause.key);
  return {
    title: 'apply.title',
    doc: { id: String(doc._id), title: doc.titles[locale] || doc.titles.ru, state: doc.state, round: doc.round, currentRevision: doc.currentRevision },
    comment: row ?? { ...target.comment, id: String(target.comment._id) },
    target: { revision: target.revision, opening: target.opening, from: doc.currentRevision },
    clauseNow: revisionView(target.clauses, locale, labels)[i],
    clauseLabel: labels.get(target.clause.key)?.text[locale] ?? '',
    readAs: suggestion.applied.length ? suggestion.applied.map((k) => translate(locale, `apply.readAs.${k}`)).join(', ') : undefined,
    clauseKey: target.clause.key,
    values: { ...suggestion.values, version: target.version, revision: target.revision },
    methodOptions: target.clauses.filter((c: Clause) => c.kind === 'section' || c.kind === 'text').map((c) => ({ key: c.key, label: `${labels.get(c.key)?.text[locale] ?? ''} ${c.heading ?? ''}`.trim() })),
    // The cross-reference chooser is a step of the editor's own form; here references are typed as in the text.
    noRefChooser: true,
    actorName: actor.name,
  };
}

const revisionField = z.string().regex(/^\d{1,6}$/, 'validation.invalid');

/** The confirmed form: the clause's fields as the clause form sends them, and the revision the page offered. */
function formOf(body: unknown) {
  const { revision, ...rest } = (body ?? {}) as Record<string, unknown>;
  const r = revisionField.safeParse(revision);
  if (!r.success) throw new InvalidInput('validation.invalid', {}, { revision: 'validation.invalid' });
  const form = parseInput(clauseFormSchema, rest);
  return { revision: Number(r.data), version: Number(form.version), form };
}

async function refusedApply(req: Request, res: Response, err: unknown): Promise<void> {
  if (!(err instanceof AppError) || ![409, 422].includes(err.status)) throw err;
  const locale: Locale = res.locals.locale;
  const doc = await getDocument(req.user, docId(req));
  let page: Record<string, unknown> = { title: 'apply.title', doc: { id: String(doc._id), title: doc.titles[locale] || doc.titles.ru } };
  try {
    page = await applyPage(req.user!, doc, await applicationOf(req.user!, String(req.params.commentId)), locale);
  } catch (inner) {
    // Not appliable any more (applied meanwhile, the document moved on): the page says why, without the form.
    if (!(inner instanceof AppError)) throw inner;
  }
  renderFormError(res, 'comments/apply', err, req.body, page, { conflictEdits: err instanceof EditConflict ? err.edits : undefined });
}

export function applyRoutes(deps: ApplyRouteDeps): RouteDef[] {
  return [
    route('get', '/documents/:id/comments/:commentId/apply', secretariat, async (req, res) => {
      const { doc } = await commentOfDocument(req);
      res.render('comments/apply', await applyPage(req.user!, doc, await applicationOf(req.user!, String(req.params.commentId)), res.locals.locale));
    }),

    route('post', '/documents/:id/comments/:commentId/apply', secretariat, async (req, res) => {
      await commentOfDocument(req);
      try {
        const input = formOf(req.body);
        await applyComment(req.user!, { ...deps, log: req.log }, String(req.params.commentId), input, req.now);
        res.redirect(303, `/documents/${docId(req)}/comments/${req.params.commentId}?applied=1#disposition`);
      } catch (err) {
        await refusedApply(req, res, err);
      }
    }),
  ];
}

// ── JSON API ─────────────────────────────────────────────────────────────────────────────────────────

const applicationOut = z.object({
  comment: z.string(), revision: z.number(), opening: z.enum(['open', 'newRevision', 'newRound']), version: z.number(), clauseKey: z.string(),
  proposedChange: z.string(), clause: z.record(z.string(), z.unknown()), suggestion: z.record(z.string(), z.unknown()), readAs: z.array(z.string()),
});
const appliedOut = z.object({ comment: z.string(), revision: z.number(), clauseKey: z.string(), links: z.object({ comment: z.string(), redline: z.string() }) });
const applyBody = z.strictObject({ revision: z.number().int().min(1), version: z.number().int().min(0), clause: z.record(z.string(), z.union([z.string(), z.boolean()])) });
const commentParams = { id: objectIdParam, commentId: objectIdParam };

export const applyApi: ApiOperation[] = [
  {
    id: 'getApplication', method: 'get', path: '/api/documents/:id/comments/:commentId/application', tag: 'comments', params: commentParams, response: applicationOut,
    summary: "Where an accepted comment's proposed change would go (the open revision, or the next one that applying opens) and the clause as the proposal would change it, as the clause form's fields",
    access: 'secretariat; only accepted and partially accepted comments with a proposed change, not yet applied, of a document in resolution or draft',
  },
  {
    id: 'applyComment', method: 'post', path: '/api/documents/:id/comments/:commentId/application', tag: 'comments', params: commentParams, body: applyBody, status: 201, response: appliedOut,
    summary: "Apply the comment: the clause takes the fields given (the clause form's, as getApplication gives them), the next revision is opened first if it is not (in resolution: the next round), and the disposition records the revision and the clause; a second application is refused",
    access: 'secretariat',
  },
];

export function applyApiRoutes(deps: ApplyRouteDeps): RouteDef[] {
  return [
    route('get', '/api/documents/:id/comments/:commentId/application', secretariat, async (req, res) => {
      await commentOfDocument(req);
      const target = await applicationOf(req.user!, String(req.params.commentId));
      const s = suggestionFor(target);
      res.json({
        comment: String(target.comment._id), revision: target.revision, opening: target.opening, version: target.version, clauseKey: target.clause.key,
        proposedChange: target.comment.proposedChange ?? '', clause: formValuesOf(target.clause), suggestion: s.values, readAs: s.applied,
      });
    }),

    route('post', '/api/documents/:id/comments/:commentId/application', secretariat, async (req, res) => {
      await commentOfDocument(req);
      const body = parseInput(applyBody, req.body);
      const fields = Object.fromEntries(Object.entries(body.clause).filter(([, v]) => typeof v === 'string' || v === true).map(([k, v]) => [k, v === true ? 'on' : v]));
      const form = parseInput(clauseFormSchema, { ...fields, version: String(body.version) });
      const r = await applyComment(req.user!, { ...deps, log: req.log }, String(req.params.commentId), { revision: body.revision, version: body.version, form }, req.now);
      const doc = docId(req);
      res.status(201).json({ comment: String(req.params.commentId), revision: r.revision, clauseKey: r.clauseKey, links: { comment: `/api/documents/${doc}/comments/${req.params.commentId}`, redline: redlineHref(doc, r.from, r.revision, r.clauseKey) } });
    }),
  ];
}

