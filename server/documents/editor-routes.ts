// The editor of a draft (secretariat): the page itself and the document's details.
import { z } from 'zod';
import { role } from '../auth/index.js';
import { route, type RouteDef } from '../http/route-table.js';
import { parseInput } from '../http/validate.js';
import { detailsInput } from './inputs.js';
import { getDocument, updateDocumentDetails } from './index.js';
import { editorPage } from './pages.js';
import { documentId, editorWithError } from './route-helpers.js';

const detailsOnly = z.strictObject(detailsInput);

export function editorRoutes(): RouteDef[] {
  const secretariat = role('secretariat');
  return [
    route('get', '/documents/:id/edit', secretariat, async (req, res) => {
      const doc = await getDocument(req.user, documentId(req));
      res.render('documents/edit', await editorPage(doc, res.locals.locale));
    }),

    route('post', '/documents/:id/details', secretariat, async (req, res) => {
      try {
        await updateDocumentDetails(req.user!, documentId(req), parseInput(detailsOnly, req.body), req.now);
        res.redirect(303, `/documents/${documentId(req)}/edit`);
      } catch (err) {
        await editorWithError(req, res, err, { view: 'documents/edit', extra: { detailsErrorOpen: true } });
      }
    }),
  ];
}
