// Publication (secretariat), public downloads of published PDFs (and their Word copies) and verification of a copy.
import { anyone } from '../auth/index.js';
import type { SigningConfig } from '../config.js';
import { route, type RouteDef } from '../http/route-table.js';
import { loadPdfAssets, type PdfAssets } from '../pdf/assets.js';
import type { Lifecycle } from '../lifecycle/index.js';
import type { Clock } from '../time/clock.js';
import { publishedDocxRoutes } from './docx-routes.js';
import { downloadHandler, type DownloadOptions } from './downloads.js';
import { publicationRoutes } from './publication-routes.js';
import { committeeSigner } from './signing/keys.js';
import type { PdfSigner } from './signing/signer.js';
import { UPLOAD_LIMIT } from './upload.js';
import { verificationApiRoutes, verificationRoutes } from './verification-routes.js';

export { publishingApi } from './verification-routes.js';
export { amendmentApi } from './publication-routes.js';

export interface PublishingRouteDeps {
  /** The address printed (as a QR code) on a published PDF's cover: its verification page. */
  publicUrl: string;
  clock: Clock;
  lifecycle: Lifecycle;
  assets?: PdfAssets;
  downloads?: DownloadOptions;
  /** Largest verification upload, bytes. */
  uploadLimit?: number;
  /** The committee's certificate and key (none: the development certificate); or the signer itself (tests). */
  signing?: SigningConfig;
  signer?: () => Promise<PdfSigner>;
}

/** The signer the deps name, made (or read) on first need and the same afterwards. */
export function signerOf(deps: Pick<PublishingRouteDeps, 'signing' | 'signer'>, assets: PdfAssets): () => Promise<PdfSigner> {
  if (deps.signer) return deps.signer;
  const config = deps.signing ?? {};
  return () => committeeSigner(config, assets.text.committee);
}

export function publishingRoutes(deps: PublishingRouteDeps): RouteDef[] {
  const assets = deps.assets ?? loadPdfAssets();
  const signer = signerOf(deps, assets);
  return [
    ...publicationRoutes({ ...deps, assets, signer }),
    ...((download) => [
      route('get', '/catalogue/:id/pdf', anyone, download),
      // An earlier (or any) edition of an amended standard, 1 the first (docs/amendments.md).
      route('get', '/catalogue/:id/editions/:edition/pdf', anyone, download),
    ])(downloadHandler(deps.downloads)),
    ...publishedDocxRoutes({ publicUrl: deps.publicUrl, assets }),
    ...verificationRoutes({ uploadLimit: deps.uploadLimit ?? UPLOAD_LIMIT, signer }),
    ...verificationApiRoutes(),
  ];
}
