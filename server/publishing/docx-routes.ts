// The Word copy of a published standard (docs/word.md): rendered from the frozen revision and the facts
// fixed with its number — the same view as the agreed PDF (render.ts) — the first time it is asked for,
// then kept in memory. A publication never changes, so a kept copy stays right; the PDF stays the
// official text and the only stored file. Its bytes depend on the publication alone (every part dated
// with the publication), so its ETag, the SHA-256 of the bytes, is strong and the same on every server.
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { anyone } from '../auth/index.js';
import { getDocument, getRevision, type DocumentRecord, type PublicationInfo } from '../documents/index.js';
import { renderAmendmentDocx } from '../docx/amendment.js';
import { renderStandardDocx } from '../docx/standard.js';
import { stablePackage } from '../docx/stable-package.js';
import { DOCX_TYPE } from '../docx/types.js';
import { NotFound } from '../errors.js';
import { contentDisposition } from '../http/attachment.js';
import { route, type RouteDef } from '../http/route-table.js';
import type { PdfAssets } from '../pdf/assets.js';
import { publishedAmendmentView } from './amendments.js';
import { publicationView, type PublicationFacts } from './render.js';

/** Copies kept: a few hundred kilobytes each at most, the least recently asked for go first. */
const KEPT = 64;

interface Copy {
  bytes: Buffer;
  /** The quoted SHA-256 of the bytes. */
  etag: string;
}

/** Rendered from the facts the publication fixed (the document's publication record) and its frozen revision. */
async function rendered(doc: DocumentRecord, publication: PublicationInfo, publicUrl: string, assets: PdfAssets): Promise<Buffer> {
  // An amendment's copy is the amendment's form, like its PDF (docs/amendments.md).
  if (doc.amends) return renderAmendmentDocx(await publishedAmendmentView(doc, publicUrl));
  const facts: PublicationFacts = {
    designation: publication.designation,
    revision: publication.revision,
    publishedAt: publication.publishedAt,
    entryIntoForce: Object.entries(publication.entryIntoForce).map(([code, date]) => ({ code, date })),
  };
  const revision = await getRevision(doc, publication.revision);
  return renderStandardDocx(await publicationView(doc, revision, facts, publicUrl), assets.text);
}

async function render(doc: DocumentRecord, publication: PublicationInfo, publicUrl: string, assets: PdfAssets): Promise<Copy> {
  const bytes = await stablePackage(await rendered(doc, publication, publicUrl, assets), publication.publishedAt);
  return { bytes, etag: `"${createHash('sha256').update(bytes).digest('hex')}"` };
}

export function publishedDocxRoutes(deps: { publicUrl: string; assets: PdfAssets }): RouteDef[] {
  const kept = new Map<string, Promise<Copy>>();
  const copyOf = (doc: DocumentRecord, publication: PublicationInfo): Promise<Copy> => {
    const key = `${doc._id}:${publication.sha256}`;
    let copy = kept.get(key);
    if (copy) kept.delete(key);
    else copy = render(doc, publication, deps.publicUrl, deps.assets);
    kept.set(key, copy);
    copy.catch(() => kept.delete(key));
    while (kept.size > KEPT) kept.delete(kept.keys().next().value!);
    return copy;
  };

  return [
    route('get', '/catalogue/:id/docx', anyone, async (req: Request, res: Response) => {
      const id = String(req.params.id);
      if (!/^[0-9a-f]{24}$/i.test(id)) throw new NotFound('publishing.notFound');
      const doc = await getDocument(undefined, id).catch((err) => {
        throw err instanceof NotFound ? new NotFound('publishing.notFound') : err;
      });
      const p = doc.publication;
      if (!p?.fileId || !p.sha256) throw new NotFound('publishing.notFound');
      const copy = await copyOf(doc, p);
      // Like the PDF at the standard's own address: kept by caches, asked for again (an amendment's
      // consolidated edition replaces it), answered 304 by its ETag.
      res.set({
        'Content-Type': DOCX_TYPE,
        'Content-Disposition': contentDisposition(`${p.designation}.docx`),
        'Cache-Control': 'public, no-cache',
        ETag: copy.etag,
        'Last-Modified': p.publishedAt.toUTCString(),
      });
      if (req.fresh) {
        res.status(304).end();
        return;
      }
      res.send(copy.bytes);
    }),
  ];
}
