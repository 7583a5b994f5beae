// The view models of the benchmarked pages, made by Accord's own page functions against the benchmark's
// database, so that the ceiling renders exactly what Accord renders.
import type { CurrentUser } from '../../server/auth/current-user.js';
import { accountPage, signInPage } from '../../server/auth/routes.js';
import { comparisonView } from '../../server/text/compare-view.js';
import { documentPage } from '../../server/documents/pages.js';
import { compare, getDocument } from '../../server/documents/index.js';
import { localsFor } from '../../server/http/locals.js';

export interface PageModel {
  view: string;
  model: Record<string, unknown>;
}

/** Plain JSON, as the ceiling reads it back (dates become strings; the views accept both). */
const plain = (m: Record<string, unknown>) => JSON.parse(JSON.stringify(m)) as Record<string, unknown>;

export async function benchPageModels(opts: { member: CurrentUser; documentId: string; compareFrom: number; compareTo: number }): Promise<Record<string, PageModel>> {
  const { member, documentId } = opts;
  const doc = await getDocument(member, documentId);
  const compareUrl = `/documents/${documentId}/compare?from=${opts.compareFrom}&to=${opts.compareTo}`;
  return {
    '/sign-in': { view: 'auth/sign-in', model: plain({ ...localsFor(undefined, 'ru', '/sign-in'), ...signInPage(false, '/') }) },
    '/account': { view: 'account/show', model: plain({ ...localsFor(member, 'ru', '/account'), ...(await accountPage(member)) }) },
    [`/documents/${documentId}`]: { view: 'documents/show', model: plain({ ...localsFor(member, 'ru', `/documents/${documentId}`), ...(await documentPage(member, doc, doc.currentRevision, 'ru', new Date())) }) },
    [compareUrl.split('?')[0]!]: {
      view: 'documents/compare',
      model: plain({ ...localsFor(member, 'ru', compareUrl), title: 'documents.compareTitle', ...comparisonView(await compare(member, documentId, opts.compareFrom, opts.compareTo), 'ru') }),
    },
  };
}
