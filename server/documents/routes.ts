// The documents' pages, grouped by what they are for: the register, reading, the editor, the clauses and
// the workflow, and the import of a Word draft. The order is the order Express tries them in (/documents/new and /documents/import before /documents/:id).
import type { RouteDef } from '../http/route-table.js';
import type { AppliedCommentsOf, ClauseCommentsOf, DisagreementsOf } from './pages.js';
import type { Lifecycle } from '../lifecycle/index.js';
import { clauseFormRoutes, clauseOrderRoutes } from './clause-routes.js';
import { editorRoutes } from './editor-routes.js';
import { draftImportRoutes } from './import/routes.js';
import { readingRoutes, type ReviewDateOf } from './reading-routes.js';
import { registerRoutes } from './register-routes.js';
import type { Template } from './templates.js';
import { workflowRoutes } from './workflow-routes.js';

export interface DocumentRouteDeps {
  templates: readonly Template[];
  lifecycle: Lifecycle;
  /** The comments beside the text, from the comments feature. */
  clauseComments?: ClauseCommentsOf;
  /** The delegations' open disagreements with the dispositions, beside the opening of the ballot. */
  disagreements?: DisagreementsOf;
  /** The comments applied to the revisions compared, beside the redline's changed clauses (docs/applying-changes.md). */
  appliedComments?: AppliedCommentsOf;
  /** A published standard's systematic review date (server/review). */
  reviewDate?: ReviewDateOf;
}

export function documentRoutes(deps: DocumentRouteDeps): RouteDef[] {
  return [
    ...registerRoutes(deps),
    ...draftImportRoutes(deps),
    ...readingRoutes(deps),
    ...editorRoutes(),
    ...clauseFormRoutes(deps),
    ...clauseOrderRoutes(deps),
    ...workflowRoutes(deps),
  ];
}
