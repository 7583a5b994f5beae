// Importing a legacy draft from the register (secretariat): upload → preview (with the document's details)
// → confirm, which makes the draft and goes to its check. An upload is its owner's alone: anyone else is
// told it does not exist.
import type { Request, Response } from 'express';
import { z } from 'zod';
import { role } from '../../auth/index.js';
import { leaveUnread, uploadedFile } from '../../common/office/upload.js';
import type { ImportLimits } from '../../common/office/package.js';
import { AppError } from '../../errors.js';
import { renderFormError } from '../../http/forms.js';
import { route, type RouteDef } from '../../http/route-table.js';
import { parseInput, text } from '../../http/validate.js';
import type { Locale } from '../../i18n/index.js';
import { detailsInput } from '../inputs.js';
import { listProductGroups } from '../product-groups.js';
import type { Template } from '../templates.js';
import { draftImportPreview } from './preview.js';
import { confirmDraftImport, DRAFT_IMPORT_LIMITS, draftImportMessages, ownDraftImport, uploadDraft } from './service.js';

const confirmInput = z.strictObject({ kind: text(60), ...detailsInput });
const importId = (req: Request) => String(req.params.draftImportId);

export function draftImportRoutes(deps: { templates: readonly Template[]; limits?: ImportLimits }): RouteDef[] {
  const secretariat = role('secretariat');
  const limits = deps.limits ?? DRAFT_IMPORT_LIMITS;
  const templateList = (locale: Locale) => deps.templates.map((t) => ({ id: t.id, name: t.names[locale], description: t.description[locale] }));
  const previewPage = async (req: Request, res: Response) => {
    const u = await ownDraftImport(req.user!, importId(req), req.now);
    return { title: 'draftImport.previewTitle', preview: draftImportPreview(u, res.locals.locale), templates: templateList(res.locals.locale), productGroups: await listProductGroups() };
  };

  return [
    route('get', '/documents/import', secretariat, async (_req, res) => res.render('documents/import', { title: 'draftImport.title' })),

    route('post', '/documents/import', secretariat, async (req, res) => {
      try {
        const u = await uploadDraft(req.user!, () => uploadedFile(req, limits.fileBytes, draftImportMessages.prefix), req.now, limits);
        res.redirect(303, `/documents/import/${u._id}`);
      } catch (err) {
        leaveUnread(req, res);
        if (!(err instanceof AppError) || err.status >= 500 || [401, 403, 404].includes(err.status)) throw err;
        renderFormError(res, 'documents/import', err, {}, { title: 'draftImport.title' });
      }
    }),

    route('get', '/documents/import/:draftImportId', secretariat, async (req, res) => {
      const page = await previewPage(req, res);
      res.render('documents/import-preview', { ...page, values: { kind: deps.templates[0]?.id } });
    }),

    route('post', '/documents/import/:draftImportId', secretariat, async (req, res) => {
      try {
        const doc = await confirmDraftImport(req.user!, deps.templates, importId(req), parseInput(confirmInput, req.body), req.now);
        res.redirect(303, `/documents/${doc._id}/check`);
      } catch (err) {
        renderFormError(res, 'documents/import-preview', err, req.body, await previewPage(req, res));
      }
    }),
  ];
}
