// The register of documents: the list, and a new draft from a template (secretariat).
import type { Response } from 'express';
import { z } from 'zod';
import { anyone, role } from '../auth/index.js';
import { renderFormError } from '../http/forms.js';
import { listHref, pageParam, pagerOf } from '../http/paging.js';
import { route, type RouteDef } from '../http/route-table.js';
import { parseInput, text } from '../http/validate.js';
import type { Locale } from '../i18n/index.js';
import { detailsInput } from './inputs.js';
import { createDocument, listDocuments } from './index.js';
import { listProductGroups } from './product-groups.js';
import type { Template } from './templates.js';

const createInput = z.strictObject({ kind: text(60), ...detailsInput });

/** Rows of the documents page. */
export const DOCUMENTS_PAGE_SIZE = 50;

export function registerRoutes(deps: { templates: readonly Template[] }): RouteDef[] {
  const secretariat = role('secretariat');
  const templateList = (locale: Locale) => deps.templates.map((t) => ({ id: t.id, name: t.names[locale], description: t.description[locale] }));
  const newForm = async (res: Response) => ({ title: 'documents.newTitle', templates: templateList(res.locals.locale), productGroups: await listProductGroups() });

  return [
    // A page at a time, the newest change first; a page past the last shows the last.
    route('get', '/documents', anyone, async (req, res) => {
      const { documents, slice } = await listDocuments(req.user, pageParam(req.query.page), DOCUMENTS_PAGE_SIZE);
      res.render('documents/index', { title: 'documents.title', documents, pager: pagerOf(slice, (n) => listHref('/documents', {}, n)), canCreate: req.user?.role === 'secretariat' });
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
  ];
}
