import type { CurrentUser } from '../auth/index.js';
import type { Request } from 'express';
import { z } from 'zod';
import { anyone, role } from '../auth/index.js';
import { InvalidInput } from '../errors.js';
import { objectIdParam, type ApiOperation } from '../http/openapi.js';
import { API_MAX_PAGE_SIZE, API_PAGE_SIZE, API_PAGE_SIZE_PATTERN, PAGE_PATTERN, pageParam, pageSizeParam, sliceOf } from '../http/paging.js';
import { route, type RouteDef } from '../http/route-table.js';
import { optionalText, parseInput } from '../http/validate.js';
import { CLAUSE_KEY_PATTERN, clauseSchema, type Clause, type ClausePatch } from '../text/clauses.js';
import type { DocumentRecord, RevisionRecord } from './model.js';
import { numberClauses } from '../text/numbering.js';
import { detailsInput } from './inputs.js';
import type { Lifecycle } from '../lifecycle/index.js';
import { amendmentChangesOf, checkRevisionVisible, historyFor, compare, createDocument, editClauses, getDocument, getRevision, listDocuments, listRevisions, revisionsVisibleTo, startNewRevision, updateDocumentDetails, type DocumentSummary } from './index.js';
import type { Template } from './templates.js';
import { documentCheck } from './quality.js';
import { draftImportApi, draftImportApiRoutes } from './import/api.js';
import { TRANSITIONS } from '../lifecycle/table.js';

const version = z.number().int().min(0);
const clauseContent = clauseSchema.omit({ key: true });
const createBody = z.strictObject({ kind: z.string().min(1).max(60), ...detailsInput });
const detailsBody = z.strictObject(detailsInput);
const insertBody = z.strictObject({ version, afterKey: z.string().max(64).nullable(), clause: clauseContent.strict() });
const patchBody = z.strictObject({ version, patch: clauseContent.omit({ depth: true, kind: true }).partial().strict() });
const moveBody = z.strictObject({ version, direction: z.enum(['up', 'down', 'in', 'out']) });
const versionBody = z.strictObject({ version });
const transitionBody = z.strictObject({
  note: optionalText(2000),
  rev: z.number().int().min(0).optional(),
  closesAt: z.iso.datetime({ offset: true }).optional(),
  // The quality check's warnings for circulating or opening the ballot are accepted (docs/quality.md).
  acceptWarnings: z.boolean().optional(),
});
const compareQuery = z.object({ from: z.string().regex(/^\d+$/), to: z.string().regex(/^\d+$/) });
/** A page of a list (from 1; past the last, the last) and its rows, 1 to 500 (100 unless asked). */
const pageQuery = z.object({ page: z.string().regex(PAGE_PATTERN).optional(), pageSize: z.string().regex(API_PAGE_SIZE_PATTERN).optional() });
const pageOf = (req: Request) => ({ page: pageParam(req.query.page), pageSize: pageSizeParam(req.query.pageSize, API_PAGE_SIZE, API_MAX_PAGE_SIZE) });
const pagingOut = { page: z.number(), pageSize: z.number(), total: z.number(), pages: z.number() };

const documentOut = z.object({
  id: z.string(), titles: z.object({ ru: z.string(), en: z.string() }), kind: z.string(), productGroup: z.string(), ics: z.string(), developer: z.string(),
  state: z.string(), stage: z.string(), round: z.number(), currentRevision: z.number(), rev: z.number(), designation: z.string().nullable(),
  commentPeriod: z.object({ revision: z.number(), opensAt: z.string(), closesAt: z.string() }).nullable(),
  history: z.array(z.object({ at: z.string(), byName: z.string(), action: z.string(), from: z.string().nullable(), to: z.string().nullable(), revision: z.number(), note: z.string().optional() })),
});
// The revision's printable copies (PDF and Word, docs/word.md), downloadable with the same token.
const revisionLinks = z.object({ pdf: z.string(), docx: z.string() });
const revisionOut = z.object({ number: z.number(), frozen: z.boolean(), version: z.number(), clauses: z.array(clauseSchema.extend({ label: z.string().optional() })), links: revisionLinks });

// An amendment's list of changes to its standard (docs/amendments.md), as its page lists them.
const changeOut = z.object({
  type: z.enum(['replace', 'add', 'delete']), key: z.string(), label: z.string(),
  clause: clauseSchema.nullable(), before: clauseSchema.nullable(), after: z.string().nullable(), afterLabel: z.string().nullable(),
});
const documentDetailOut = documentOut.extend({
  amendment: z.object({ amends: z.string(), amendsRevision: z.number().nullable(), number: z.number().nullable(), changes: z.array(changeOut) }).nullable(),
});

async function documentDetailJson(d: DocumentRecord, actor: CurrentUser | undefined) {
  const amendment = d.amends
    ? {
        amends: String(d.amends), amendsRevision: d.amendsRevision ?? null, number: d.amendmentNumber ?? null,
        changes: (await amendmentChangesOf(d)).changes.map((c) => ({
          type: c.type, key: c.key, label: c.label, clause: 'clause' in c ? c.clause : null, before: 'before' in c ? c.before : null,
          after: c.type === 'add' ? c.after : null, afterLabel: c.type === 'add' ? c.afterLabel ?? null : null,
        })),
      }
    : null;
  return { ...documentJson(d, actor), amendment };
}

function documentJson(d: DocumentRecord, actor: CurrentUser | undefined) {
  return {
    id: String(d._id), titles: d.titles, kind: d.kind, productGroup: d.productGroup, ics: d.ics, developer: d.developer, state: d.state, stage: d.stage, round: d.round,
    currentRevision: d.currentRevision, rev: d.rev, designation: d.designation ?? null, commentPeriod: d.commentPeriod ?? null,
    history: historyFor(actor, d).map(({ at, byName, action, from, to, revision, note }) => ({ at, byName, action, from, to, revision, ...(note ? { note } : {}) })),
  };
}

function summaryJson(d: DocumentSummary) {
  return { id: String(d._id), titles: d.titles, kind: d.kind, productGroup: d.productGroup, ics: d.ics, state: d.state, stage: d.stage, currentRevision: d.currentRevision, designation: d.designation ?? null, updatedAt: d.updatedAt };
}

function revisionJson(r: RevisionRecord) {
  const labels = numberClauses(r.clauses);
  return { number: r.number, frozen: r.frozen, frozenAt: r.frozenAt ?? null, version: r.version, clauses: r.clauses.map((c: Clause) => ({ ...c, label: labels.get(c.key)?.text.ru })), links: revisionLinksOf(String(r.document), r.number) };
}

function revisionLinksOf(documentId: string, number: number) {
  const base = `/documents/${documentId}/revisions/${number}`;
  return { pdf: `${base}/pdf`, docx: `${base}/docx` };
}

const id = (req: Request) => String(req.params.id);

const idParam = { id: objectIdParam };
const revisionParams = { ...idParam, number: z.string().regex(/^[1-9]\d{0,5}$/) };
const clauseParams = { ...idParam, key: z.string().regex(CLAUSE_KEY_PATTERN) };
const transitionParams = { ...idParam, name: z.enum([...new Set(TRANSITIONS.map((t) => t.name))] as [string, ...string[]]) };
const detailsChoices = { productGroup: 'productGroups' } as const;

const documentsOut = z.object({
  documents: z.array(z.object({
    id: z.string(), titles: z.object({ ru: z.string(), en: z.string() }), kind: z.string(), productGroup: z.string(), ics: z.string(), state: z.string(), stage: z.string(),
    currentRevision: z.number(), designation: z.string().nullable(), updatedAt: z.string(),
  })),
  ...pagingOut,
});
const historyOut = z.object({ history: documentOut.shape.history, ...pagingOut });
const revisionsOut = z.object({ revisions: z.array(z.object({ number: z.number(), frozen: z.boolean(), frozenAt: z.string().nullable(), createdAt: z.string(), links: revisionLinks })) });
const clauseEditOut = z.object({ version: z.number(), key: z.string() });
const checkItem = z.object({ key: z.string(), clause: z.string(), text: z.string(), href: z.string() });
const checkOut = z.object({ step: z.enum(['circulate', 'openBallot', 'publish']).nullable(), revision: z.number(), errors: z.array(checkItem), warnings: z.array(checkItem) });

export const documentApi: ApiOperation[] = [
  { id: 'listDocuments', method: 'get', path: '/api/documents', tag: 'documents', summary: 'Documents the caller may see (committee roles: all; others: published only), the newest change first, a page at a time (pageSize rows, 100 unless asked; a page past the last is the last) with their total', access: 'anyone', anonymous: true, query: pageQuery, response: documentsOut },
  { id: 'createDocument', method: 'post', path: '/api/documents', tag: 'documents', summary: 'Create a draft from a template', access: 'secretariat', body: createBody, choices: { kind: 'kinds', ...detailsChoices }, status: 201, location: true, response: documentOut },
  { id: 'getDocument', method: 'get', path: '/api/documents/:id', tag: 'documents', summary: "A document with its history; an amendment with its list of changes to its standard", access: 'anyone who may see it', anonymous: true, params: idParam, response: documentDetailOut },
  { id: 'updateDocumentDetails', method: 'patch', path: '/api/documents/:id', tag: 'documents', summary: 'Change titles, product group, ICS code, developer (draft only)', access: 'secretariat', params: idParam, body: detailsBody, choices: detailsChoices, response: documentOut },
  { id: 'getDocumentHistory', method: 'get', path: '/api/documents/:id/history', tag: 'documents', summary: 'The history events of a document the caller may read, in time order, a page at a time (pageSize events, 100 unless asked; a page past the last is the last) with their total', access: 'anyone who may see it', anonymous: true, params: idParam, query: pageQuery, response: historyOut },
  { id: 'listRevisions', method: 'get', path: '/api/documents/:id/revisions', tag: 'revisions', summary: 'Revisions of a document', access: 'anyone who may see it', anonymous: true, params: idParam, response: revisionsOut },
  { id: 'getRevision', method: 'get', path: '/api/documents/:id/revisions/:number', tag: 'revisions', summary: 'One revision with its clauses and derived numbers', access: 'anyone who may see it', anonymous: true, params: revisionParams, response: revisionOut },
  { id: 'startRevision', method: 'post', path: '/api/documents/:id/revisions', tag: 'revisions', summary: 'Start the next revision after circulation (a copy with the same clause keys)', access: 'secretariat', params: idParam, status: 201, response: z.object({ number: z.number() }) },
  { id: 'insertClause', method: 'post', path: '/api/documents/:id/clauses', tag: 'clauses', summary: 'Insert a clause after afterKey (its depth decides sibling or child)', access: 'secretariat', params: idParam, body: insertBody, status: 201, response: clauseEditOut },
  { id: 'updateClause', method: 'patch', path: '/api/documents/:id/clauses/:key', tag: 'clauses', summary: 'Change a clause; a field set to null is removed', access: 'secretariat', params: clauseParams, body: patchBody, response: clauseEditOut },
  { id: 'moveClause', method: 'post', path: '/api/documents/:id/clauses/:key/move', tag: 'clauses', summary: 'Move a clause up, down, in (indent) or out (outdent) with its subtree', access: 'secretariat', params: clauseParams, body: moveBody, response: clauseEditOut },
  { id: 'deleteClause', method: 'delete', path: '/api/documents/:id/clauses/:key', tag: 'clauses', summary: 'Delete a clause with its subtree', access: 'secretariat', params: clauseParams, body: versionBody, response: clauseEditOut },
  { id: 'transitionDocument', method: 'post', path: '/api/documents/:id/transitions/:name', tag: 'workflow', summary: 'Move the document along the workflow (circulate, closeComments, newRound, openBallot, publish, withdraw, cancel…); cancel needs its reason in note', access: 'secretariat', params: transitionParams, body: transitionBody, response: documentOut },
  { id: 'checkDocument', method: 'get', path: '/api/documents/:id/check', tag: 'workflow', summary: 'The quality check of the current revision for the next step (circulate, openBallot or publish): errors refuse it, warnings need acceptWarnings', access: 'secretariat', params: idParam, response: checkOut },
  { id: 'compareRevisions', method: 'get', path: '/api/documents/:id/compare', tag: 'revisions', summary: 'Redline between two revisions: clause-level by key, word-level inside changed clauses', access: 'anyone who may see it', anonymous: true, params: idParam, query: compareQuery },
  ...draftImportApi,
];

interface DocumentApiDeps {
  templates: readonly Template[];
  lifecycle: Lifecycle;
}

export function documentApiRoutes(deps: DocumentApiDeps): RouteDef[] {
  return [...documentResourceApi(deps), ...draftImportApiRoutes(deps), ...revisionApi(), ...clauseApi(deps), ...workflowApi(deps)];
}

/** The documents themselves: the list, a new draft, one document, its details and its history. */
function documentResourceApi(deps: DocumentApiDeps): RouteDef[] {
  const secretariat = role('secretariat');
  return [
    route('get', '/api/documents', anyone, async (req, res) => {
      const { page, pageSize } = pageOf(req);
      const { documents, slice } = await listDocuments(req.user, page, pageSize);
      res.json({ documents: documents.map(summaryJson), page: slice.page, pageSize, total: slice.total, pages: slice.pages });
    }),
    route('post', '/api/documents', secretariat, async (req, res) => {
      const doc = await createDocument(req.user!, deps.templates, parseInput(createBody, req.body), req.now);
      res.status(201).location(`/api/documents/${doc._id}`).json(documentJson(doc, req.user));
    }),
    route('get', '/api/documents/:id', anyone, async (req, res) => res.json(await documentDetailJson(await getDocument(req.user, id(req)), req.user))),
    route('patch', '/api/documents/:id', secretariat, async (req, res) => {
      await getDocument(req.user, id(req));
      await updateDocumentDetails(req.user!, id(req), parseInput(detailsBody, req.body), req.now);
      res.json(documentJson(await getDocument(req.user, id(req)), req.user));
    }),
    route('get', '/api/documents/:id/history', anyone, async (req, res) => {
      const { page, pageSize } = pageOf(req);
      const all = documentJson(await getDocument(req.user, id(req)), req.user).history;
      const slice = sliceOf(all.length, page, pageSize);
      res.json({ history: all.slice(slice.skip, slice.skip + pageSize), page: slice.page, pageSize, total: slice.total, pages: slice.pages });
    }),
  ];
}

/** A document's revisions: the list, one with its clauses, the next one started. */
function revisionApi(): RouteDef[] {
  const secretariat = role('secretariat');
  return [
    route('get', '/api/documents/:id/revisions', anyone, async (req, res) => {
      const doc = await getDocument(req.user, id(req));
      res.json({ revisions: (await revisionsVisibleTo(req.user, doc)).map((r) => ({ number: r.number, frozen: r.frozen, frozenAt: r.frozenAt ?? null, createdAt: r.createdAt, links: revisionLinksOf(String(doc._id), r.number) })) });
    }),
    route('get', '/api/documents/:id/revisions/:number', anyone, async (req, res) => {
      const doc = await getDocument(req.user, id(req));
      checkRevisionVisible(req.user, doc, Number(req.params.number));
      res.json(revisionJson(await getRevision(doc, Number(req.params.number))));
    }),
    route('post', '/api/documents/:id/revisions', secretariat, async (req, res) => {
      const number = await startNewRevision(req.user!, id(req), req.now);
      res.status(201).json({ number });
    }),
  ];
}

/** Clause edits on the current revision, each at the version the caller read. */
function clauseApi(deps: DocumentApiDeps): RouteDef[] {
  const secretariat = role('secretariat');
  return [
    route('post', '/api/documents/:id/clauses', secretariat, async (req, res) => {
      await getDocument(req.user, id(req));
      const body = parseInput(insertBody, req.body);
      const r = await editClauses(req.user!, deps.templates, id(req), body.version, { type: 'insert', afterKey: body.afterKey, clause: body.clause as Omit<Clause, 'key'> }, req.now);
      res.status(201).json(r);
    }),
    route('patch', '/api/documents/:id/clauses/:key', secretariat, async (req, res) => {
      await getDocument(req.user, id(req));
      const body = parseInput(patchBody, nullsToUndefined(req.body));
      res.json(await editClauses(req.user!, deps.templates, id(req), body.version, { type: 'update', key: String(req.params.key), patch: withRemovals(body.patch, req.body) }, req.now));
    }),
    route('post', '/api/documents/:id/clauses/:key/move', secretariat, async (req, res) => {
      await getDocument(req.user, id(req));
      const body = parseInput(moveBody, req.body);
      res.json(await editClauses(req.user!, deps.templates, id(req), body.version, { type: 'move', key: String(req.params.key), direction: body.direction }, req.now));
    }),
    route('delete', '/api/documents/:id/clauses/:key', secretariat, async (req, res) => {
      await getDocument(req.user, id(req));
      const body = parseInput(versionBody, req.body ?? {});
      res.json(await editClauses(req.user!, deps.templates, id(req), body.version, { type: 'remove', key: String(req.params.key) }, req.now));
    }),
  ];
}

/** A transition along the workflow, and the redline between two revisions. */
function workflowApi(deps: DocumentApiDeps): RouteDef[] {
  const secretariat = role('secretariat');
  return [
    route('post', '/api/documents/:id/transitions/:name', secretariat, async (req, res) => {
      await getDocument(req.user, id(req));
      const body = parseInput(transitionBody, req.body ?? {});
      const doc = await deps.lifecycle.move(req.user!, id(req), String(req.params.name), { now: req.now, note: body.note, rev: body.rev, closesAt: body.closesAt ? new Date(body.closesAt) : undefined, acceptWarnings: body.acceptWarnings, log: req.log });
      res.json(documentJson(doc, req.user));
    }),
    route('get', '/api/documents/:id/check', secretariat, async (req, res) => {
      const doc = await getDocument(req.user, id(req));
      res.json(await documentCheck(doc, await getRevision(doc, doc.currentRevision), res.locals.locale));
    }),
    route('get', '/api/documents/:id/compare', anyone, async (req, res) => {
      await getDocument(req.user, id(req)); // who may not see it learns nothing, not even that the query is wrong
      const q = compareQuery.safeParse(req.query);
      if (!q.success) throw new InvalidInput('documents.compareQuery', {}, { from: 'documents.compareQuery' });
      const { comparison } = await compare(req.user, id(req), Number(q.data.from), Number(q.data.to));
      res.json(comparison);
    }),
  ];
}

/** JSON null in a patch means "remove this field"; the schema sees it as absent. */
function nullsToUndefined(body: unknown): unknown {
  const b = body as { patch?: Record<string, unknown> } | undefined;
  if (!b?.patch || typeof b.patch !== 'object') return body;
  return { ...b, patch: Object.fromEntries(Object.entries(b.patch).filter(([, v]) => v !== null)) };
}

function withRemovals(patch: ClausePatch, body: unknown): ClausePatch {
  const raw = (body as { patch?: Record<string, unknown> }).patch ?? {};
  const removed = Object.entries(raw).filter(([, v]) => v === null).map(([k]) => [k, undefined]);
  return { ...patch, ...Object.fromEntries(removed) };
}
