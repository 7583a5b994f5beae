// Verification of a copy, open to anyone: a PDF uploaded (hashed as it streams, its signatures checked,
// never stored) or a SHA-256 typed in, the page of one publication, and the same verdict as JSON.
import type { Request, Response } from 'express';
import { z } from 'zod';
import { anyone } from '../auth/index.js';
import { AppError, BadRequest, InvalidInput } from '../errors.js';
import { sharedFor } from '../http/caching.js';
import type { ApiOperation } from '../http/openapi.js';
import { wantsJson } from '../http/request-context.js';
import { route, type RouteDef } from '../http/route-table.js';
import { renderFormError } from '../http/forms.js';
import { parseInput } from '../http/validate.js';
import { translate, type Locale } from '../i18n/index.js';
import { dayOf } from '../time/days.js';
import { publicationPage, verdictView } from './pages.js';
import { cutUpload, hashUpload, PayloadTooLarge, UnsupportedMediaType } from './upload.js';
import type { PdfSigner } from './signing/signer.js';
import { isSha256, publicationFacts, verifyHash, type Verdict } from './verification.js';
import { knownCertificates, signatureFindings, signaturesView, type SignatureFinding } from './verification-signatures.js';

const sha256Input = z.strictObject({ sha256: z.string().trim().toLowerCase().regex(/^[0-9a-f]{64}$/, 'publishing.badHash') });

const verifyOut = z.object({
  sha256: z.string(),
  authentic: z.boolean(),
  publication: z
    .object({
      id: z.string(),
      designation: z.string(),
      titles: z.object({ ru: z.string(), en: z.string() }),
      revision: z.number(),
      publishedAt: z.string(),
      entryIntoForce: z.record(z.string(), z.string()),
      size: z.number(),
      status: z.enum(['inForce', 'superseded', 'withdrawn']),
      supersededBy: z.object({ id: z.string(), designation: z.string().nullable() }).optional(),
      withdrawal: z.object({ date: z.string().nullable(), reason: z.string().nullable() }).optional(),
      /** Who signed the stored file, and when (docs/signing.md); absent for files stored before signing began. */
      signature: z.object({ signer: z.string(), signedAt: z.string(), development: z.boolean(), certificateSha256: z.string() }).optional(),
      download: z.string(),
      /** The same standard as NISO STS XML (docs/sts.md); null for an amendment, which has none. */
      sts: z.string().nullable(),
      verification: z.string(),
    })
    .optional(),
});

/** The publishing feature's JSON operations, for the OpenAPI document. */
export const publishingApi: ApiOperation[] = [
  {
    id: 'verifyHash', method: 'get', path: '/api/verify/:sha256', tag: 'catalogue', summary: 'Is a file with this SHA-256 an authentic published version, which one, and is it in force?',
    access: 'anyone', anonymous: true, params: { sha256: z.string().regex(/^[0-9a-fA-F]{64}$/) }, response: verifyOut,
  },
];

const normaliseHash = (s: unknown) => (typeof s === 'string' ? s.trim().toLowerCase() : '');

interface FormVerdict {
  verdict: Verdict;
  /** An uploaded file's signatures; none checked for a hash typed in. */
  signatures?: SignatureFinding[];
}

/** The verdict on an uploaded file: its hash, and its signatures checked against the committee's certificates. */
async function verdictOfFile(file: { sha256: string; pdfId?: string; bytes: Buffer }, signer: () => Promise<PdfSigner>): Promise<FormVerdict> {
  const verdict = await verifyHash(file.sha256, file.pdfId);
  const { identity } = await signer();
  return { verdict, signatures: signatureFindings(file.bytes, knownCertificates(verdict, identity)) };
}

/** The verdict on what the verification form sent: an uploaded file, else a SHA-256 typed in. */
async function verdictOfForm(req: Request, deps: VerificationDeps): Promise<FormVerdict> {
  if (req.is('multipart/form-data')) {
    const upload = await hashUpload(req, deps.uploadLimit);
    if (upload.file) return verdictOfFile(upload.file, deps.signer);
    if (upload.fields.sha256?.trim()) return { verdict: await verifyHash(parseInput(sha256Input, { sha256: upload.fields.sha256 }).sha256) };
    throw new InvalidInput('publishing.noFileChosen', {}, { file: 'publishing.noFileChosen' });
  }
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (!normaliseHash(body.sha256)) throw new InvalidInput('publishing.nothingToVerify', {}, { sha256: 'publishing.nothingToVerify' });
  return { verdict: await verifyHash(parseInput(sha256Input, body).sha256) };
}

interface VerificationDeps {
  uploadLimit: number;
  signer: () => Promise<PdfSigner>;
}

/** The verification pages: the form, its verdict, and the page of one publication. */
export function verificationRoutes(deps: VerificationDeps): RouteDef[] {
  const limitMb = Math.round(deps.uploadLimit / 1048576);
  const showVerdict = async (res: Response, { verdict, signatures }: FormVerdict, status = 200) => {
    const locale: Locale = res.locals.locale;
    res.status(status).render('publishing/verify', { title: 'publishing.verifyTitle', verdict: await verdictView(verdict, locale, dayOf((res.req as Request).now)), signatures: signatures && signaturesView(signatures, locale), limitMb });
  };

  return [
    route('get', '/verify', anyone, async (req, res) => {
      const q = req.query.sha256;
      if (q === undefined) return res.render('publishing/verify', { title: 'publishing.verifyTitle', limitMb });
      const sha = normaliseHash(q);
      if (!isSha256(sha)) {
        const locale: Locale = res.locals.locale;
        return res.status(422).render('publishing/verify', { title: 'publishing.verifyTitle', limitMb, values: { sha256: typeof q === 'string' ? q : '' }, error: translate(locale, 'publishing.badHash'), errors: { sha256: translate(locale, 'publishing.badHash') } });
      }
      await showVerdict(res, { verdict: await verifyHash(sha) });
    }),

    route('post', '/verify', anyone, async (req, res) => {
      try {
        await showVerdict(res, await verdictOfForm(req, deps));
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        if (err instanceof PayloadTooLarge || err instanceof UnsupportedMediaType || err instanceof BadRequest) {
          // The rest of the upload is not read: answer, then close the connection.
          cutUpload(req, res);
        }
        if (wantsJson(req) || err.status >= 500 || err.status === 403) throw err;
        // A browser goes back to the form, which says what was wrong (post/redirect/get); others get the 4xx page.
        renderFormError(res, 'publishing/verify', err, {}, { title: 'publishing.verifyTitle', limitMb });
      }
    }),

    route('get', '/verify/:id', anyone, async (req, res) => {
      const facts = await publicationFacts(String(req.params.id));
      sharedFor(res);
      res.render('publishing/publication', await publicationPage(facts, res.locals.locale, dayOf(req.now)));
    }),
  ];
}

/** The verdict on a SHA-256 as JSON (publishingApi). */
export function verificationApiRoutes(): RouteDef[] {
  return [
    route('get', '/api/verify/:sha256', anyone, async (req, res) => {
      const sha = normaliseHash(req.params.sha256);
      if (!isSha256(sha)) throw new BadRequest('publishing.badHash');
      res.json(verdictJson(sha, await verifyHash(sha)));
    }),
  ];
}

function verdictJson(sha: string, verdict: Verdict) {
  if (verdict.kind !== 'authentic') return { sha256: sha, authentic: false };
  const p = verdict.publication;
  return {
    sha256: sha,
    authentic: true,
    publication: {
      id: p.id,
      designation: p.designation,
      titles: p.titles,
      revision: p.revision,
      publishedAt: p.publishedAt.toISOString(),
      entryIntoForce: Object.fromEntries(p.entryIntoForce.map((e) => [e.code, e.date])),
      size: p.size,
      status: p.status.kind,
      ...(p.status.kind === 'superseded' ? { supersededBy: { id: p.status.by.id, designation: p.status.by.designation ?? null } } : {}),
      ...(p.status.kind === 'withdrawn' ? { withdrawal: { date: p.status.date ?? null, reason: p.status.reason ?? null } } : {}),
      ...(p.signature ? { signature: { signer: p.signature.signer, signedAt: p.signature.signedAt.toISOString(), development: p.signature.development, certificateSha256: p.signature.fingerprint } } : {}),
      download: `/catalogue/${p.id}/pdf`,
      // An amendment has no STS XML (docs/sts.md, «Amendments»): its standard's consolidated edition has.
      sts: p.amends ? null : `/catalogue/${p.id}/sts.xml`,
      verification: `/verify/${p.id}`,
    },
  };
}
