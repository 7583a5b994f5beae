// The secretariat's bulk disposition from the comments page: several chosen comments take one disposition,
// all or none (docs/answers.md, "Bulk dispositions").
import { getDocument } from '../documents/index.js';
import { renderFormError } from '../http/forms.js';
import { route, type RouteDef } from '../http/route-table.js';
import { parseInput } from '../http/validate.js';
import { translate, type Locale } from '../i18n/index.js';
import { BulkRefused, setDispositions } from './dispositions.js';
import { bulkDispositionInput, choiceOf } from './inputs.js';
import { commentsPage } from './pages.js';
import { docId, secretariat } from './route-helpers.js';

export function bulkDispositionRoutes(): RouteDef[] {
  return [
    route('post', '/documents/:id/dispositions', secretariat, async (req, res) => {
      const doc = await getDocument(req.user, docId(req));
      try {
        const input = parseInput(bulkDispositionInput, req.body);
        const count = await setDispositions(req.user!, doc, input.ids.map(choiceOf), input, req.now);
        res.redirect(303, `/documents/${doc._id}/comments?round=${doc.round}&disposed=${count}#summary`);
      } catch (err) {
        const locale: Locale = res.locals.locale;
        // Which comments could not take it and why, listed above the table; the choice is kept.
        const bulkFailures = err instanceof BulkRefused ? err.failures.map((f) => ({ id: f.id, number: f.number ?? '—', message: translate(locale, f.key) })) : [];
        const page = await commentsPage(req.user!, doc, {}, locale, req.now);
        renderFormError(res, 'comments/index', err, req.body, page, { bulkFailed: true, bulkFailures });
      }
    }),
  ];
}
