// The secretariat's publishing pages: a document published, amended (its successor draft started) or
// withdrawn. A refused action shows its form again with the reason.
import type { Request } from 'express';
import { z } from 'zod';
import { role } from '../auth/index.js';
import { getDocument } from '../documents/index.js';
import { AppError } from '../errors.js';
import { sendAsAttachment } from '../http/attachment.js';
import { renderFormError } from '../http/forms.js';
import { objectIdParam, type ApiOperation } from '../http/openapi.js';
import { route, type RouteDef } from '../http/route-table.js';
import { parseInput, text } from '../http/validate.js';
import type { Lifecycle } from '../lifecycle/index.js';
import type { PdfAssets } from '../pdf/assets.js';
import type { Clock } from '../time/clock.js';
import { dayOf, parseDay, type Day } from '../time/days.js';
import { amendPage, publishPage, withdrawPage } from './pages.js';
import { amend, COUNTRIES, publicationProof, publish, startAmendment, withdraw, type CountryCode } from './service.js';
import type { PdfSigner } from './signing/signer.js';

const day = z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, 'publishing.dateFormat').refine((s) => parseDay(s) !== undefined, 'publishing.dateFormat');
const publishInput = z.strictObject({ entryIntoForceBY: day, entryIntoForceRU: day });
const proofQuery = z.object({ entryIntoForceBY: day.optional(), entryIntoForceRU: day.optional() });
const withdrawInput = z.strictObject({ reason: text(2000), date: day });

const id = (req: Request) => String(req.params.id);

const amendmentOut = z.object({
  id: z.string(), amends: z.string(), amendsRevision: z.number().nullable(), state: z.string(), currentRevision: z.number(),
  links: z.object({ self: z.string(), page: z.string() }),
});

/** The amendment started from the JSON API (docs/amendments.md); its list of changes is in getDocument. */
export const amendmentApi: ApiOperation[] = [
  {
    id: 'startAmendment', method: 'post', path: '/api/documents/:id/amendment', tag: 'workflow', params: { id: objectIdParam }, status: 201, location: true, response: amendmentOut,
    summary: "Start an amendment («Изменение № N») of a published standard: a draft whose revision 1 is the standard's published text, edited clause by clause; refused (409) while another amendment or a revision of the standard is under way, or for a document that is not a published standard",
    access: 'secretariat',
  },
];

export function publicationRoutes(deps: { publicUrl: string; clock: Clock; lifecycle: Lifecycle; assets: PdfAssets; signer: () => Promise<PdfSigner> }): RouteDef[] {
  const secretariat = role('secretariat');
  return [
    route('get', '/documents/:id/publish', secretariat, async (req, res) => {
      const doc = await getDocument(req.user, id(req));
      res.render('publishing/publish', await publishPage(doc, res.locals.locale, deps.clock.now()));
    }),

    route('post', '/documents/:id/publish', secretariat, async (req, res) => {
      try {
        const input = parseInput(publishInput, req.body);
        const entryIntoForce = Object.fromEntries(COUNTRIES.map((c) => [c, parseDay(input[`entryIntoForce${c}`])!])) as Record<CountryCode, Day>;
        await publish(req.user!, id(req), { entryIntoForce }, { lifecycle: deps.lifecycle, publicUrl: deps.publicUrl, assets: deps.assets, signer: await deps.signer(), now: deps.clock.now() });
        res.redirect(303, `/documents/${id(req)}`);
      } catch (err) {
        if (!(err instanceof AppError) || ![409, 422].includes(err.status)) throw err;
        const doc = await getDocument(req.user, id(req));
        renderFormError(res, 'publishing/publish', err, req.body, await publishPage(doc, res.locals.locale, deps.clock.now()));
      }
    }),

    // The proof PDF before publishing: the publication's layout with the dates given (or those the form
    // suggests), unsigned, never stored.
    route('get', '/documents/:id/publish/proof.pdf', secretariat, async (req, res) => {
      const doc = await getDocument(req.user, id(req));
      const page = await publishPage(doc, res.locals.locale, deps.clock.now());
      try {
        const q = parseInput(proofQuery, req.query);
        const entryIntoForce = Object.fromEntries(COUNTRIES.map((c) => [c, parseDay(q[`entryIntoForce${c}`] ?? String(page.values[`entryIntoForce${c}`]))!])) as Record<CountryCode, Day>;
        const proof = await publicationProof(req.user!, id(req), { entryIntoForce }, { publicUrl: deps.publicUrl, assets: deps.assets, signer: await deps.signer(), now: deps.clock.now() });
        sendAsAttachment(res, `${proof.designation} (${res.locals.locale === 'en' ? 'proof' : 'пробный'}).pdf`, 'application/pdf');
        res.set('Cache-Control', 'private, no-store');
        res.send(proof.bytes);
      } catch (err) {
        if (!(err instanceof AppError) || ![409, 422].includes(err.status)) throw err;
        renderFormError(res, 'publishing/publish', err, req.query, page);
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

    // An amendment (Изменение № N) of a published standard: its draft is made, and edited like any draft (docs/amendments.md).
    route('post', '/documents/:id/amendment', secretariat, async (req, res) => {
      try {
        const amendment = await startAmendment(req.user!, id(req), { now: deps.clock.now() });
        res.redirect(303, `/documents/${amendment._id}`);
      } catch (err) {
        if (!(err instanceof AppError) || ![409, 422].includes(err.status)) throw err;
        const doc = await getDocument(req.user, id(req));
        renderFormError(res, 'publishing/amend', err, {}, await amendPage(req.user!, doc, res.locals.locale));
      }
    }),

    route('post', '/api/documents/:id/amendment', secretariat, async (req, res) => {
      const amendment = await startAmendment(req.user!, id(req), { now: deps.clock.now() });
      const aid = String(amendment._id);
      res.status(201).location(`/api/documents/${aid}`).json({
        id: aid, amends: String(amendment.amends), amendsRevision: amendment.amendsRevision ?? null, state: amendment.state, currentRevision: amendment.currentRevision,
        links: { self: `/api/documents/${aid}`, page: `/documents/${aid}` },
      });
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
  ];
}
