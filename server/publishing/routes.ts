// Publication (secretariat), public downloads of published PDFs and verification of a copy.
import type { Request, Response } from 'express';
import { z } from 'zod';
import { anyone, role } from '../auth/index.js';
import { getDocument } from '../documents/index.js';
import { AppError, BadRequest, InvalidInput } from '../errors.js';
import { renderFormError } from '../http/forms.js';
import { wantsJson } from '../http/request-context.js';
import type { ApiOperation } from '../http/openapi.js';
import { sharedFor } from '../http/caching.js';
import { route, type RouteDef } from '../http/route-table.js';
import { parseInput, text } from '../http/validate.js';
import { translate, type Locale } from '../i18n/index.js';
import { loadPdfAssets, type PdfAssets } from '../pdf/assets.js';
import type { Lifecycle } from '../lifecycle/index.js';
import type { Clock } from '../time/clock.js';
import { dayOf, parseDay, type Day } from '../time/days.js';
import { downloadHandler, type DownloadOptions } from './downloads.js';
import { amendPage, publicationPage, publishPage, verdictView, withdrawPage } from './pages.js';
import { amend, COUNTRIES, publish, withdraw, type CountryCode } from './service.js';
import { cutUpload, hashUpload, PayloadTooLarge, UnsupportedMediaType, UPLOAD_LIMIT } from './upload.js';
import { isSha256, publicationFacts, verifyHash, type Verdict } from './verification.js';

export interface PublishingRouteDeps {
  /** The address printed (as a QR code) on a published PDF's cover: its verification page. */
  publicUrl: string;
  clock: Clock;
  lifecycle: Lifecycle;
  assets?: PdfAssets;
  downloads?: DownloadOptions;
  /** Largest verification upload, bytes. */
  uploadLimit?: number;
}

const day = z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, 'publishing.dateFormat').refine((s) => parseDay(s) !== undefined, 'publishing.dateFormat');
const publishInput = z.strictObject({ entryIntoForceBY: day, entryIntoForceRU: day });
const withdrawInput = z.strictObject({ reason: text(2000), date: day });
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
      download: z.string(),
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

const id = (req: Request) => String(req.params.id);
const normaliseHash = (s: unknown) => (typeof s === 'string' ? s.trim().toLowerCase() : '');

export function publishingRoutes(deps: PublishingRouteDeps): RouteDef[] {
  const secretariat = role('secretariat');
  const assets = deps.assets ?? loadPdfAssets();
  const download = downloadHandler(deps.downloads);
  const uploadLimit = deps.uploadLimit ?? UPLOAD_LIMIT;

  const showVerdict = (res: Response, verdict: Verdict, status = 200) =>
    res.status(status).render('publishing/verify', { title: 'publishing.verifyTitle', verdict: verdictView(verdict, res.locals.locale), limitMb: Math.round(uploadLimit / 1048576) });

  return [
    // ---- publication ------------------------------------------------------------------------------
    route('get', '/documents/:id/publish', secretariat, async (req, res) => {
      const doc = await getDocument(req.user, id(req));
      res.render('publishing/publish', await publishPage(doc, res.locals.locale, deps.clock.now()));
    }),

    route('post', '/documents/:id/publish', secretariat, async (req, res) => {
      try {
        const input = parseInput(publishInput, req.body);
        const entryIntoForce = Object.fromEntries(COUNTRIES.map((c) => [c, parseDay(input[`entryIntoForce${c}`])!])) as Record<CountryCode, Day>;
        await publish(req.user!, id(req), { entryIntoForce }, { lifecycle: deps.lifecycle, publicUrl: deps.publicUrl, assets, now: deps.clock.now() });
        res.redirect(303, `/documents/${id(req)}`);
      } catch (err) {
        if (!(err instanceof AppError) || ![409, 422].includes(err.status)) throw err;
        const doc = await getDocument(req.user, id(req));
        renderFormError(res, 'publishing/publish', err, req.body, await publishPage(doc, res.locals.locale, deps.clock.now()));
      }
    }),

    route('get', '/documents/:id/amend', secretariat, async (req, res) => {
      const doc = await getDocument(req.user, id(req));
      res.render('publishing/amend', await amendPage(req.user!, doc, res.locals.locale));
    }),

    route('post', '/documents/:id/amend', secretariat, async (req, res) => {
      try {
        const successor = await amend(req.user!, id(req), deps.clock.now(), deps.lifecycle);
        res.redirect(303, `/documents/${successor._id}`);
      } catch (err) {
        if (!(err instanceof AppError) || ![409, 422].includes(err.status)) throw err;
        const doc = await getDocument(req.user, id(req));
        renderFormError(res, 'publishing/amend', err, {}, await amendPage(req.user!, doc, res.locals.locale));
      }
    }),

    route('get', '/documents/:id/withdraw', secretariat, async (req, res) => {
      const doc = await getDocument(req.user, id(req));
      res.render('publishing/withdraw', { ...withdrawPage(doc, res.locals.locale), values: { date: dayOf(deps.clock.now()) } });
    }),

    route('post', '/documents/:id/withdraw', secretariat, async (req, res) => {
      try {
        const input = parseInput(withdrawInput, req.body);
        await withdraw(req.user!, id(req), { reason: input.reason, date: parseDay(input.date)! }, deps.clock.now(), deps.lifecycle);
        res.redirect(303, `/documents/${id(req)}`);
      } catch (err) {
        if (!(err instanceof AppError) || ![409, 422].includes(err.status)) throw err;
        const doc = await getDocument(req.user, id(req));
        renderFormError(res, 'publishing/withdraw', err, req.body, withdrawPage(doc, res.locals.locale));
      }
    }),

    // ---- downloads --------------------------------------------------------------------------------
    route('get', '/catalogue/:id/pdf', anyone, download),

    // ---- verification -----------------------------------------------------------------------------
    route('get', '/verify', anyone, async (req, res) => {
      const q = req.query.sha256;
      if (q === undefined) return res.render('publishing/verify', { title: 'publishing.verifyTitle', limitMb: Math.round(uploadLimit / 1048576) });
      const sha = normaliseHash(q);
      if (!isSha256(sha)) {
        const locale: Locale = res.locals.locale;
        return res.status(422).render('publishing/verify', { title: 'publishing.verifyTitle', limitMb: Math.round(uploadLimit / 1048576), values: { sha256: typeof q === 'string' ? q : '' }, error: translate(locale, 'publishing.badHash'), errors: { sha256: translate(locale, 'publishing.badHash') } });
      }
      showVerdict(res, await verifyHash(sha));
    }),

    route('post', '/verify', anyone, async (req, res) => {
      const locale: Locale = res.locals.locale;
      try {
        let verdict: Verdict;
        if (req.is('multipart/form-data')) {
          const upload = await hashUpload(req, uploadLimit);
          if (upload.file) verdict = await verifyHash(upload.file.sha256, upload.file.pdfId);
          else if (upload.fields.sha256?.trim()) verdict = await verifyHash(parseInput(sha256Input, { sha256: upload.fields.sha256 }).sha256);
          else throw new InvalidInput('publishing.nothingToVerify', {}, { file: 'publishing.nothingToVerify' });
        } else {
          const body = (req.body ?? {}) as Record<string, unknown>;
          if (!normaliseHash(body.sha256)) throw new InvalidInput('publishing.nothingToVerify', {}, { sha256: 'publishing.nothingToVerify' });
          verdict = await verifyHash(parseInput(sha256Input, body).sha256);
        }
        showVerdict(res, verdict);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        if (err instanceof PayloadTooLarge || err instanceof UnsupportedMediaType || err instanceof BadRequest) {
          // The rest of the upload is not read: answer, then close the connection.
          cutUpload(req, res);
        }
        if (wantsJson(req) || err.status >= 500 || err.status === 403) throw err;
        const fieldErrors = Object.fromEntries(Object.entries(err.details ?? {}).map(([f, k]) => [f, translate(locale, k, err.params)]));
        res.status(err.status).render('publishing/verify', { title: 'publishing.verifyTitle', limitMb: Math.round(uploadLimit / 1048576), error: translate(locale, err.messageKey, err.params), errors: fieldErrors });
      }
    }),

    route('get', '/verify/:id', anyone, async (req, res) => {
      const facts = await publicationFacts(id(req));
      sharedFor(res);
      res.render('publishing/publication', await publicationPage(facts, res.locals.locale));
    }),

    route('get', '/api/verify/:sha256', anyone, async (req, res) => {
      const sha = normaliseHash(req.params.sha256);
      if (!isSha256(sha)) throw new BadRequest('publishing.badHash');
      const verdict = await verifyHash(sha);
      if (verdict.kind !== 'authentic') return res.json({ sha256: sha, authentic: false });
      const p = verdict.publication;
      res.json({
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
          download: `/catalogue/${p.id}/pdf`,
          verification: `/verify/${p.id}`,
        },
      });
    }),
  ];
}
