import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { anyone, signedIn } from '../auth/index.js';
import type { CurrentUser } from '../auth/index.js';
import { AppError, Forbidden } from '../errors.js';
import { formatInstant } from '../time/format.js';
import { timeLeft } from '../time/time-left.js';
import { getDocument } from '../documents/index.js';
import { openDisagreements } from '../comments/index.js';
import { renderFormError } from '../http/forms.js';
import { objectIdParam, type ApiOperation } from '../http/openapi.js';
import { route, type RouteDef } from '../http/route-table.js';
import { optionalText, parseInput } from '../http/validate.js';
import type { Locale } from '../i18n/index.js';
import { ballotOfDocument, canVote, castVote, messages, type BallotOfDocument, type BallotSummary } from './service.js';
import type { Lifecycle } from '../lifecycle/index.js';
import { votes } from './tally.js';

const voteBody = z.strictObject({ vote: z.enum(votes), reasons: optionalText(10_000) });

const summaryOut = z.object({
  revision: z.number(), round: z.number(), rule: z.enum(['unanimity', 'iso']), opensAt: z.string(), closesAt: z.string(),
  status: z.enum(['open', 'closed', 'stopped']), closedAt: z.string().nullable(), closedBecause: z.enum(['allVoted', 'deadline']).nullable(),
  result: z.enum(['approved', 'failed', 'pending']),
  counts: z.object({ approve: z.number(), disapprove: z.number(), abstain: z.number(), cast: z.number() }),
  missing: z.array(z.string()),
  positions: z.array(z.object({ delegation: z.string(), vote: z.enum(votes), reasons: z.string().nullable(), byName: z.string(), at: z.string(), counted: z.boolean() })),
  casts: z.array(z.object({ delegation: z.string(), action: z.enum(['vote', 'changeVote']), vote: z.enum(votes), previous: z.enum(votes).nullable(), reasons: z.string().nullable(), byName: z.string(), at: z.string() })),
});
const ballotOut = z.object({ document: z.string(), state: z.string(), ballot: summaryOut, earlier: z.array(summaryOut) });
const voteOut = ballotOut.extend({ changed: z.boolean(), closed: z.boolean() });

export const ballotApi: ApiOperation[] = [
  { id: 'getBallot', method: 'get', path: '/api/documents/:id/ballot', params: { id: objectIdParam }, tag: 'ballots', summary: "The document's current ballot (positions, reasons, who voted when, the rule and the result) and its earlier ones", access: 'committee roles (to anyone else the document is not found)', anonymous: true, response: ballotOut },
  {
    id: 'castVote', method: 'post', path: '/api/documents/:id/ballot/vote', params: { id: objectIdParam }, tag: 'ballots',
    summary: "Cast or change the delegation's vote on the open ballot: approve, disapprove (reasons required) or abstain; the last vote closes the ballot",
    access: 'head of an active delegation', body: voteBody, response: voteOut,
  },
];

/** Only a head casts a vote: anyone else is told so (a head of no delegation is told by the service). */
const heads: RequestHandler[] = [signedIn, (req, _res, next) => next(req.user!.role === 'head' ? undefined : new Forbidden(messages.headOnly))];

const docId = (req: Request) => String(req.params.id);

function ballotJson(b: BallotOfDocument) {
  return { document: String(b.doc._id), state: b.doc.state, ballot: b.current, earlier: b.earlier };
}

/** Each entitled delegation once, voted or not, for the positions table. */
function rowsOf(s: BallotSummary) {
  const voted = s.positions.map((p) => ({ ...p, voted: true }));
  const missing = s.missing.map((delegation) => ({ delegation, voted: false, counted: true }));
  return [...voted, ...missing].sort((a, b) => a.delegation.localeCompare(b.delegation));
}

function summaryView(s: BallotSummary, locale: Locale, now: Date) {
  return { ...s, rows: rowsOf(s), opensAtText: formatInstant(s.opensAt, locale), closesAtText: formatInstant(s.closesAt, locale), left: s.status === 'open' ? timeLeft(s.closesAt, now, locale) : undefined, iso: s.rule === 'iso' };
}

/** The secretariat decides on the ballot with the delegations' open disagreements in view (they never block it). */
async function disagreementsFor(actor: CurrentUser | undefined, b: BallotOfDocument, locale: Locale) {
  return actor?.role === 'secretariat' ? { items: await openDisagreements(b.doc, b.current.round, locale, actor) } : undefined;
}

function ballotPage(actor: CurrentUser | undefined, b: BallotOfDocument, locale: Locale, now: Date) {
  const mine = actor?.delegationCode ? b.current.positions.find((p) => p.delegation === actor.delegationCode) : undefined;
  return {
    title: 'ballots.title',
    doc: { id: String(b.doc._id), title: b.doc.titles[locale] || b.doc.titles.ru, state: b.doc.state, stage: b.doc.stage },
    ballot: summaryView(b.current, locale, now),
    earlier: b.earlier.map((s) => summaryView(s, locale, now)),
    canVote: canVote(actor, b, now),
    delegation: actor?.delegationCode,
    mine,
    votes,
    values: { vote: mine?.vote, reasons: mine?.reasons ?? undefined },
  };
}

export function ballotRoutes(deps: { lifecycle: Lifecycle }): RouteDef[] {
  /** A refused vote shows the page again with the reason and what was typed. */
  const refused = async (req: Request, res: Response, err: unknown) => {
    if (!(err instanceof AppError) || ![409, 422].includes(err.status)) throw err;
    let page;
    try {
      const b = await ballotOfDocument(req.user, docId(req));
      page = { ...ballotPage(req.user, b, res.locals.locale, req.now), disagreements: await disagreementsFor(req.user, b, res.locals.locale) };
    } catch {
      throw err; // no ballot to show: the refusal itself is the answer
    }
    renderFormError(res, 'ballots/show', err, req.body, page);
  };

  return [
    route('get', '/documents/:id/ballot', anyone, async (req, res) => {
      const b = await ballotOfDocument(req.user, docId(req));
      res.render('ballots/show', { ...ballotPage(req.user, b, res.locals.locale, req.now), voted: req.query.voted === '1', disagreements: await disagreementsFor(req.user, b, res.locals.locale) });
    }),

    route('post', '/documents/:id/ballot/vote', heads, async (req, res) => {
      await getDocument(req.user, docId(req)); // an unknown document is not found, whatever was posted
      try {
        await castVote(req.user!, docId(req), parseInput(voteBody, req.body), { now: req.now, logger: req.log, lifecycle: deps.lifecycle });
        res.redirect(303, `/documents/${docId(req)}/ballot?voted=1`);
      } catch (err) {
        await refused(req, res, err);
      }
    }),

    route('get', '/api/documents/:id/ballot', anyone, async (req, res) => {
      res.json(ballotJson(await ballotOfDocument(req.user, docId(req))));
    }),

    route('post', '/api/documents/:id/ballot/vote', heads, async (req, res) => {
      await getDocument(req.user, docId(req));
      const outcome = await castVote(req.user!, docId(req), parseInput(voteBody, req.body ?? {}), { now: req.now, logger: req.log, lifecycle: deps.lifecycle });
      res.json({ ...ballotJson(await ballotOfDocument(req.user, docId(req))), ...outcome });
    }),
  ];
}
