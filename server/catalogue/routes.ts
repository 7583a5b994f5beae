import type { Request, Response } from 'express';
import { anyone, role } from '../auth/index.js';
import { AppError, BadRequest, Conflict, InvalidInput, NotFound } from '../errors.js';
import { amendmentChangesOf, getDocument, getRevision } from '../documents/index.js';
import { changeInstruction, clausePlainText } from '../text/amendment.js';
import { renderFormError } from '../http/forms.js';
import { sharedFor } from '../http/caching.js';
import { route, type RouteDef } from '../http/route-table.js';
import type { Locale } from '../i18n/index.js';
import { atomFeed } from './feed.js';
import { dayOf } from '../time/days.js';
import { countryStatuses } from './country-status.js';
import { parseFilters } from './filters.js';
import { filterGroups, refusedSearchModel, searchPageModel, standardPageModel, messages as pageMessages } from './pages.js';
import { contentDisposition } from '../http/attachment.js';
import { requirementRows, requirementsCsv, requirementsJson } from './requirements.js';
import { currentCatalogue, productGroupNames } from './store.js';
import { setSubscriptions, subscribedGroups } from './subscriptions.js';
import { noticeSettingsFor } from '../users/service.js';
import { feedAuthorityFromDatabase } from '../db/settings-model.js';
import { compareEditions } from '../documents/index.js';
import { comparisonView } from '../text/compare-view.js';
import type { ApiOperation } from '../http/openapi.js';
import { objectIdParam } from '../http/openapi.js';
import { STS_CONTENT_TYPE, stsXml } from './sts.js';

export interface CatalogueRouteDeps {
  /** PUBLIC_URL: every absolute link a feed or an export carries starts with it, never with the Host header. */
  publicUrl: string;
}

/** The catalogue entry of a published document, or 404 for anything else (drafts are never revealed). */
async function publishedEntry(req: Request) {
  const entry = (await currentCatalogue()).get(String(req.params.id));
  if (!entry) throw new NotFound(pageMessages.notFound);
  return entry;
}

/** The catalogue's JSON API operations, for the OpenAPI document. */
export const catalogueApi: ApiOperation[] = [
  {
    id: 'getStandardSts', method: 'get', path: '/api/catalogue/:id/sts.xml', tag: 'catalogue', summary: 'A published standard as NISO STS 1.2 XML (front matter, body, back matter); an amendment has none (409, docs/sts.md)',
    access: 'anyone', anonymous: true, params: { id: objectIdParam }, produces: 'application/xml',
  },
];

/** The published standard as NISO STS XML (docs/sts.md). */
async function sendSts(req: Request, res: Response, origin: string): Promise<void> {
  const entry = await publishedEntry(req);
  // An amendment is no standard's text: its STS would be the standard's, which its standard's XML carries.
  if (entry.amends) {
    const standard = (await currentCatalogue()).get(entry.amends);
    throw new Conflict('amendments.noSts', { designation: entry.designation, standard: standard?.designation ?? '' });
  }
  const doc = await getDocument(undefined, entry.id);
  const revision = await getRevision(doc, entry.revision);
  const xml = stsXml({ entry, clauses: revision.clauses, links: { pdf: `${origin}/catalogue/${entry.id}/pdf`, verify: `${origin}/verify/${entry.id}` } });
  sharedFor(res);
  res.set('Content-Type', STS_CONTENT_TYPE);
  res.set('Content-Disposition', contentDisposition(`${entry.designation}.xml`));
  res.send(xml);
}

/**
 * An amendment's register is its standard's: its own revision is the standard's text with the changes,
 * whose requirements the consolidated edition carries (docs/amendments.md), so it lists none of its own.
 */
async function registerEntry(req: Request) {
  const entry = await publishedEntry(req);
  if (entry.amends) {
    const standard = (await currentCatalogue()).get(entry.amends);
    throw new Conflict('amendments.noRegister', { designation: entry.designation, standard: standard?.designation ?? '' });
  }
  return entry;
}

/** An amendment's changes as its catalogue page lists them: each instruction with the new text (GOST 1.5). */
async function amendmentChangesView(id: string) {
  const doc = await getDocument(undefined, id);
  const rev = await getRevision(doc, doc.publication?.revision ?? doc.currentRevision);
  const { amended, changes } = await amendmentChangesOf(doc, rev);
  return changes.map((c) => ({ type: c.type, instruction: changeInstruction(c), lines: c.type === 'delete' ? [] : clausePlainText(c.clause, amended) }));
}

/** Requirement rows of the published revision. */
async function rowsOf(req: Request) {
  const entry = await registerEntry(req);
  // The catalogue only holds published documents, which getDocument shows to anyone.
  const doc = await getDocument(undefined, entry.id);
  const revision = await getRevision(doc, entry.revision);
  return { entry, rows: requirementRows(revision.clauses) };
}

/** The subscription form's input: zero or more `groups` values (checkboxes), nothing else. */
function groupsFrom(body: unknown): string[] {
  const b = (body ?? {}) as Record<string, unknown>;
  const unknownField = Object.keys(b).find((k) => k !== 'groups' && k !== '_csrf');
  if (unknownField) throw new InvalidInput('validation.unknownFields', { field: unknownField, fields: unknownField });
  const g = b.groups;
  const list = g === undefined ? [] : Array.isArray(g) ? g : [g];
  if (list.length > 200 || !list.every((x): x is string => typeof x === 'string' && x.length <= 40)) throw new BadRequest('validation.invalid');
  return list;
}

export function catalogueRoutes(deps: CatalogueRouteDeps): RouteDef[] {
  const origin = deps.publicUrl.replace(/\/+$/, '');
  // The search routes come first: /catalogue/feed.atom before /catalogue/:id.
  return [...searchRoutes(origin), ...standardRoutes(origin), ...subscriptionRoutes()];
}

/** Finding standards: the search page, and the Atom feed of publications, amendments and withdrawals. */
function searchRoutes(origin: string): RouteDef[] {
  return [
    route('get', '/catalogue', anyone, async (req, res) => {
      const locale: Locale = res.locals.locale;
      const [catalogue, groups] = await Promise.all([currentCatalogue(), productGroupNames(req.query.group)]);
      let filters;
      try {
        filters = parseFilters(req.query as Record<string, unknown>, groups.map((g) => g.code));
      } catch (err) {
        if (!(err instanceof AppError) || (err.status !== 400 && err.status !== 422)) throw err;
        const model = refusedSearchModel(catalogue, groups, req.query as Record<string, unknown>, locale);
        return renderFormError(res, 'catalogue/index', err, model.values, model);
      }
      sharedFor(res);
      res.render('catalogue/index', { ...searchPageModel(catalogue, groups, filters, locale, dayOf(req.now)), canSubscribe: req.user?.role === 'manufacturer' });
    }),

    // Before /catalogue/:id, which would otherwise take "feed.atom" for an id.
    route('get', '/catalogue/feed.atom', anyone, async (req, res) => {
      const locale: Locale = res.locals.locale;
      const [catalogue, groups] = await Promise.all([currentCatalogue(), productGroupNames(req.query.group)]);
      const g = req.query.group;
      if (Array.isArray(g)) throw new BadRequest('catalogue.error.repeated', { field: 'group' });
      let group: { code: string; name: string } | undefined;
      if (g !== undefined && g !== '') {
        const found = typeof g === 'string' ? groups.find((x) => x.code === g) : undefined;
        if (!found) throw new InvalidInput('catalogue.error.unknownGroup', { value: String(g).slice(0, 40) }, { group: 'catalogue.error.unknownGroup' });
        group = { code: found.code, name: found.name[locale] };
      }
      const authority = await feedAuthorityFromDatabase(origin);
      const selfHref = `${origin}/catalogue/feed.atom${group ? `?group=${encodeURIComponent(group.code)}` : ''}`;
      sharedFor(res);
      res.type('application/atom+xml; charset=utf-8');
      res.send(atomFeed(catalogue.feed(group?.code), { origin, authority, selfHref, locale, group, changedAt: catalogue.changedAt, today: dayOf(req.now) }));
    }),
  ];
}

/** One published standard: its page, what changed since the previous edition, its requirements as data. */
function standardRoutes(origin: string): RouteDef[] {
  return [
    route('get', '/catalogue/:id', anyone, async (req, res) => {
      const [catalogue, groups] = await Promise.all([currentCatalogue(), productGroupNames()]);
      const model = standardPageModel(catalogue, groups, String(req.params.id), res.locals.locale, dayOf(req.now));
      // An amendment's page shows its changes, not the standard's full text it was edited in.
      const changes = model.amendsStandard ? await amendmentChangesView(model.doc.id) : undefined;
      sharedFor(res);
      res.render('catalogue/show', { ...model, amendmentChanges: changes });
    }),

    route('get', '/catalogue/:id/changes', anyone, async (req, res) => {
      await publishedEntry(req);
      const result = await compareEditions(req.user, String(req.params.id)).catch((err: unknown) => {
        throw err instanceof NotFound ? new NotFound(pageMessages.notFound) : err;
      });
      const locale: Locale = res.locals.locale;
      res.render('documents/compare', {
        title: 'catalogue.changesTitle',
        ...comparisonView(result, locale),
        editions: { from: result.older.publication!.designation, to: result.doc.publication!.designation },
      });
    }),

    route('get', '/catalogue/:id/requirements.csv', anyone, async (req, res) => {
      const { entry, rows } = await rowsOf(req);
      sharedFor(res);
      res.set('Content-Type', 'text/csv; charset=utf-8');
      res.set('Content-Disposition', contentDisposition(`${entry.designation} requirements.csv`));
      res.send(requirementsCsv(rows));
    }),

    route('get', '/catalogue/:id/requirements.json', anyone, async (req, res) => {
      const { entry, rows } = await rowsOf(req);
      const successor = entry.supersededBy ? (await currentCatalogue()).get(entry.supersededBy) : undefined;
      sharedFor(res);
      res.json(requirementsJson(entry, rows, origin, countryStatuses(entry, dayOf(req.now), successor)));
    }),

    route('get', '/catalogue/:id/sts.xml', anyone, (req, res) => sendSts(req, res, origin)),
    route('get', '/api/catalogue/:id/sts.xml', anyone, (req, res) => sendSts(req, res, origin)),
  ];
}

/** A manufacturer's product groups, followed by e-mail (server/catalogue/subscriptions.ts). */
function subscriptionRoutes(): RouteDef[] {
  const manufacturer = role('manufacturer');

  const subscriptionsPage = async (req: Request, res: Response) => {
    const locale: Locale = res.locals.locale;
    const [catalogue, groups, chosen] = await Promise.all([currentCatalogue(), productGroupNames(), subscribedGroups(req.user!)]);
    return {
      title: 'catalogue.subscriptions.title',
      groups: filterGroups(groups, catalogue, locale).map((g) => ({ ...g, checked: chosen.includes(g.code) })),
      // Subscriptions mail nothing while the person has turned catalogue notices off on the account page.
      mailOff: (await noticeSettingsFor(req.user!)).some((n) => n.kind === 'catalogue' && !n.on),
      saved: req.query.saved === '1',
    };
  };

  return [
    route('get', '/account/subscriptions', manufacturer, async (req, res) => {
      res.render('catalogue/subscriptions', await subscriptionsPage(req, res));
    }),

    route('post', '/account/subscriptions', manufacturer, async (req, res) => {
      try {
        await setSubscriptions(req.user!, groupsFrom(req.body));
        res.redirect(303, '/account/subscriptions?saved=1');
      } catch (err) {
        renderFormError(res, 'catalogue/subscriptions', err, {}, await subscriptionsPage(req, res));
      }
    }),
  ];
}
