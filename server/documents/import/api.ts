// Importing a legacy draft through the JSON API (docs/draft-import.md): the DOCX itself as the body, the
// preview as JSON, the confirmation with the document's details. The same rules as the pages: the
// secretariat only, each upload its owner's alone.
import type { Request } from 'express';
import { z } from 'zod';
import { role } from '../../auth/index.js';
import type { ImportLimits } from '../../common/office/package.js';
import { leaveUnread, uploadedFile } from '../../common/office/upload.js';
import { objectIdParam, type ApiOperation } from '../../http/openapi.js';
import { route, type RouteDef } from '../../http/route-table.js';
import { parseInput } from '../../http/validate.js';
import { detailsInput } from '../inputs.js';
import type { Template } from '../templates.js';
import { draftImportPreview } from './preview.js';
import { confirmDraftImport, DRAFT_IMPORT_LIMITS, draftImportMessages, ownDraftImport, uploadDraft } from './service.js';

const confirmBody = z.strictObject({ kind: z.string().min(1).max(60), ...detailsInput });
const params = { draftImportId: objectIdParam };
const importId = (req: Request) => String(req.params.draftImportId);

const previewOut = z.object({
  id: z.string(), fileName: z.string(), macros: z.boolean(), expiresAt: z.string(), confirmed: z.boolean(), documentId: z.string(), summary: z.string(), canConfirm: z.boolean(),
  rows: z.array(z.object({ key: z.string(), depth: z.number(), kind: z.string(), kindName: z.string(), number: z.string(), written: z.string(), differs: z.boolean(), annex: z.string(), line: z.string() })),
  dropped: z.array(z.object({ kind: z.string(), count: z.number(), text: z.string() })),
  notices: z.array(z.object({ code: z.string(), text: z.string() })),
  issues: z.array(z.object({ code: z.string(), text: z.string() })),
  toFix: z.array(z.object({ code: z.string(), severity: z.enum(['error', 'warning']), clause: z.string(), text: z.string() })),
});

/** The import's JSON operations, for the OpenAPI document. */
export const draftImportApi: ApiOperation[] = [
  {
    id: 'uploadDraftFile', method: 'post', path: '/api/draft-imports', tag: 'documents', access: 'secretariat',
    summary: 'Upload a legacy draft (DOCX, at most 20 MB, no tracked changes); nothing is stored as a document until confirmed',
    upload: 'The DOCX file itself', status: 201, location: true, response: previewOut,
  },
  { id: 'getDraftImport', method: 'get', path: '/api/draft-imports/:draftImportId', tag: 'documents', summary: 'The preview of an uploaded draft: its clauses, what was dropped, what to fix', access: 'the member of the secretariat who uploaded it', params, response: previewOut },
  {
    id: 'confirmDraftImport', method: 'post', path: '/api/draft-imports/:draftImportId/confirm', tag: 'documents', summary: 'Create the draft with every clause of the upload, or nothing; a second confirmation answers with the same document',
    access: 'the member of the secretariat who uploaded it', params, body: confirmBody, choices: { kind: 'kinds', productGroup: 'productGroups' }, status: 201, location: true, response: z.object({ document: z.string() }),
  },
];

export function draftImportApiRoutes(deps: { templates: readonly Template[]; limits?: ImportLimits }): RouteDef[] {
  const secretariat = role('secretariat');
  const limits = deps.limits ?? DRAFT_IMPORT_LIMITS;
  return [
    route('post', '/api/draft-imports', secretariat, async (req, res) => {
      const u = await uploadDraft(req.user!, () => uploadedFile(req, limits.fileBytes, draftImportMessages.prefix), req.now, limits).catch((err: unknown) => {
        leaveUnread(req, res);
        throw err;
      });
      res.status(201).location(`/api/draft-imports/${u._id}`).json(draftImportPreview(u, res.locals.locale));
    }),
    route('get', '/api/draft-imports/:draftImportId', secretariat, async (req, res) => {
      res.json(draftImportPreview(await ownDraftImport(req.user!, importId(req), req.now), res.locals.locale));
    }),
    route('post', '/api/draft-imports/:draftImportId/confirm', secretariat, async (req, res) => {
      const doc = await confirmDraftImport(req.user!, deps.templates, importId(req), parseInput(confirmBody, req.body), req.now);
      res.status(201).location(`/api/documents/${doc._id}`).json({ document: String(doc._id) });
    }),
  ];
}
