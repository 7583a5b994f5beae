// A document's comments, grouped by page: the comments page, its exports, the release of a position,
// one comment, the import of a file of comments (page and JSON API), and the comment stage's JSON API. Express tries them in this order (export.csv and statistics before :commentId).
import type { RouteDef } from '../http/route-table.js';
import type { Notices } from '../notices/index.js';
import type { PdfAssets } from '../pdf/assets.js';
import { commentApiRoutes } from './api.js';
import { answerRoutes } from './answer-routes.js';
import { bulkDispositionRoutes } from './bulk-routes.js';
import { reportRoutes } from './report-routes.js';
import { applyApi, applyApiRoutes, applyRoutes } from './apply-routes.js';
import type { Lifecycle } from '../lifecycle/index.js';
import type { Template } from '../documents/index.js';
import { commentExportRoutes } from './export-routes.js';
import { commentImportApiRoutes, commentImportRoutes } from './import/routes.js';
import { commentListRoutes, positionRoutes } from './list-routes.js';
import { commentThreadRoutes } from './thread-routes.js';

export function commentRoutes(deps: { pdfAssets: PdfAssets; notices: Notices; lifecycle: Lifecycle; templates: readonly Template[] }): RouteDef[] {
  return [...commentListRoutes(deps), ...bulkDispositionRoutes(), ...reportRoutes(deps), ...commentExportRoutes(deps), ...positionRoutes(deps), ...answerRoutes(), ...applyRoutes(deps), ...commentThreadRoutes(), ...commentImportRoutes(deps), ...commentImportApiRoutes(deps), ...commentApiRoutes(deps), ...applyApiRoutes(deps)];
}

export { commentImportApi } from './import/routes.js';
export { commentApi } from './api.js';
export { reportApi } from './report-routes.js';
export { applyApi } from './apply-routes.js';
