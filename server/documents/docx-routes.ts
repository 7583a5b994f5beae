// The Word copy of a revision (docs/word.md): the same revisions as the PDF, to the same people (getDocument
// and visibleRevisionView answer "not found" to whoever may not see them), rendered on request from the
// PDF's view model. The published revision's copy is the publication's (/catalogue/:id/docx).
import type { Request } from 'express';
import { anyone } from '../auth/index.js';
import { sendAsAttachment } from '../http/attachment.js';
import { route, type RouteDef } from '../http/route-table.js';
import { renderStandardDocx } from '../docx/standard.js';
import { DOCX_TYPE } from '../docx/types.js';
import { loadPdfAssets, type PdfAssets } from '../pdf/assets.js';
import { amendmentDraftView, pdfFileName, revisionFileBase, visibleRevisionView } from './pdf-routes.js';
import { renderAmendmentDocx } from '../docx/amendment.js';
import { getDocument } from './index.js';

const id = (req: Request) => String(req.params.id);

export function documentDocxRoutes(deps: { assets?: PdfAssets } = {}): RouteDef[] {
  const assets = deps.assets ?? loadPdfAssets();
  return [
    route('get', '/documents/:id/revisions/:number/docx', anyone, async (req, res) => {
      const doc = await getDocument(req.user, id(req));
      const found = await visibleRevisionView(req.user, doc, String(req.params.number));
      if (!found) return res.redirect(302, `/catalogue/${doc._id}/docx`);
      // An amendment's draft: the form of an amendment, as its draft's PDF (docs/amendments.md).
      const bytes = doc.amends ? await renderAmendmentDocx(await amendmentDraftView(doc, found.rev, assets.text.draftMark)) : await renderStandardDocx(found.view, assets.text);
      sendAsAttachment(res, pdfFileName(revisionFileBase(doc, found.rev), '', 'docx'), DOCX_TYPE);
      res.setHeader('Cache-Control', 'private, no-store');
      res.send(bytes);
    }),
  ];
}
