// Importing a file of comments, from the comments page and through the JSON API: upload → preview →
// confirm. Only a head or member of a delegation, on a document in its comment period; an upload is its
// owner's alone (anyone else is told it does not exist).
import type { Request, Response } from 'express';
import { z } from 'zod';
import { getDocument } from '../../documents/index.js';
import { AppError } from '../../errors.js';
import { renderFormError } from '../../http/forms.js';
import { objectIdParam, type ApiOperation } from '../../http/openapi.js';
import { wantsJson } from '../../http/request-context.js';
import { route, type RouteDef } from '../../http/route-table.js';
import type { Locale } from '../../i18n/index.js';
import type { Notices } from '../../notices/index.js';
import { commentsPage } from '../pages.js';
import { delegates, docId } from '../route-helpers.js';
import { IMPORT_LIMITS, type ImportLimits } from '../../common/office/package.js';
import { importPreview } from './preview.js';
import { confirmImport, ownImport, uploadComments } from './service.js';
import { uploadedFile } from '../../common/office/upload.js';

const importId = (req: Request) => String(req.params.importId);

async function previewOf(req: Request, locale: Locale) {
  const u = await ownImport(req.user!, docId(req), importId(req), req.now);
  return importPreview(await getDocument(req.user, docId(req)), u, locale);
}

/** After a refusal, what is left of the file is not read: the connection closes after the answer. */
function leaveUnread(req: Request, res: Response): void {
  if (req.readableEnded) return;
  res.set('Connection', 'close');
  req.resume();
}

/** A refused upload from the page: the comments page again, with the reason beside the file field. */
async function uploadRefused(req: Request, res: Response, err: unknown): Promise<void> {
  leaveUnread(req, res);
  if (wantsJson(req) || !(err instanceof AppError) || err.status >= 500 || [401, 403, 404].includes(err.status)) throw err;
  const doc = await getDocument(req.user, docId(req));
  renderFormError(res, 'comments/index', err, {}, await commentsPage(req.user!, doc, {}, res.locals.locale, req.now, { importOpen: true }));
}

export function commentImportRoutes(deps: { notices: Notices; limits?: ImportLimits }): RouteDef[] {
  const limits = deps.limits ?? IMPORT_LIMITS;
  return [
    route('post', '/documents/:id/comment-imports', delegates, async (req, res) => {
      try {
        const u = await uploadComments(req.user!, docId(req), () => uploadedFile(req, limits.fileBytes), req.now, limits);
        res.redirect(303, `/documents/${docId(req)}/comment-imports/${u._id}`);
      } catch (err) {
        await uploadRefused(req, res, err);
      }
    }),

    route('get', '/documents/:id/comment-imports/:importId', delegates, async (req, res) => {
      const preview = await previewOf(req, res.locals.locale);
      res.render('comments/import', { title: 'commentImport.title', doc: { id: docId(req) }, preview });
    }),

    route('post', '/documents/:id/comment-imports/:importId', delegates, async (req, res) => {
      try {
        const done = await confirmImport(req.user!, docId(req), importId(req), req.now, deps.notices);
        res.redirect(303, `/documents/${docId(req)}/comments?imported=${done.created}#internal`);
      } catch (err) {
        const preview = await previewOf(req, res.locals.locale);
        renderFormError(res, 'comments/import', err, {}, { title: 'commentImport.title', doc: { id: docId(req) }, preview });
      }
    }),
  ];
}

const previewOut = z.object({
  id: z.string(), document: z.string(), revision: z.number(), delegation: z.string(), fileName: z.string(), kind: z.enum(['docx', 'xlsx']), layout: z.string(),
  macros: z.boolean(), expiresAt: z.string(), confirmed: z.boolean(), created: z.number().nullable(), canConfirm: z.boolean(),
  counts: z.object({ rows: z.number(), new: z.number(), imported: z.number(), repeat: z.number(), problem: z.number(), unknownClause: z.number(), warning: z.number() }),
  rows: z.array(z.object({
    table: z.string(), row: z.number(), status: z.enum(['new', 'imported', 'repeat', 'problem']), mb: z.string(), clauseWritten: z.string(),
    clause: z.object({ key: z.string(), number: z.string(), heading: z.string() }).nullable(), wholeDocument: z.boolean(), unknownClause: z.boolean(),
    type: z.string().nullable(), typeWritten: z.string(), text: z.string(), proposedChange: z.string().nullable(),
    anchor: z.object({ kind: z.string(), ref: z.string() }).nullable(), sameAs: z.number().nullable(), problems: z.array(z.object({ code: z.string(), message: z.string() })),
    warnings: z.array(z.object({ code: z.string(), message: z.string() })),
  })),
});
const importParams = { id: objectIdParam, importId: objectIdParam };

/** The import's JSON operations, for the OpenAPI document. */
export const commentImportApi: ApiOperation[] = [
  {
    id: 'uploadCommentFile', method: 'post', path: '/api/documents/:id/comment-imports', tag: 'comments', access: 'head or member of a delegation, in the comment period',
    summary: 'Upload a filled-in comment template (DOCX or XLSX, at most 20 MB and 2 000 rows); nothing is stored as comments until confirmed',
    upload: 'The file itself: the ISO/IEC template 2012-03, Accord\'s summary, or ISO OSD\'s export', params: { id: objectIdParam }, status: 201, location: true, response: previewOut,
  },
  { id: 'getCommentImport', method: 'get', path: '/api/documents/:id/comment-imports/:importId', tag: 'comments', summary: 'The preview of an upload: every row, its clause and its problems', access: 'the person who uploaded it', params: importParams, response: previewOut },
  {
    id: 'confirmCommentImport', method: 'post', path: '/api/documents/:id/comment-imports/:importId/confirm', tag: 'comments', summary: 'Store every new row of the upload as an internal comment of the delegation, or none',
    access: 'the person who uploaded it', params: importParams, response: z.object({ created: z.number(), skipped: z.number() }),
  },
];

export function commentImportApiRoutes(deps: { notices: Notices; limits?: ImportLimits }): RouteDef[] {
  const limits = deps.limits ?? IMPORT_LIMITS;
  return [
    route('post', '/api/documents/:id/comment-imports', delegates, async (req, res) => {
      const u = await uploadComments(req.user!, docId(req), () => uploadedFile(req, limits.fileBytes), req.now, limits).catch((err: unknown) => {
        leaveUnread(req, res);
        throw err;
      });
      const preview = await importPreview(await getDocument(req.user, docId(req)), u, res.locals.locale);
      res.status(201).location(`/api/documents/${docId(req)}/comment-imports/${u._id}`).json(preview);
    }),
    route('get', '/api/documents/:id/comment-imports/:importId', delegates, async (req, res) => {
      res.json(await previewOf(req, res.locals.locale));
    }),
    route('post', '/api/documents/:id/comment-imports/:importId/confirm', delegates, async (req, res) => {
      res.json(await confirmImport(req.user!, docId(req), importId(req), req.now, deps.notices));
    }),
  ];
}
