import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import request from 'supertest';
import { createApiToken } from '../../server/auth/api-tokens.js';
import { registeredRoutes } from '../../server/http/route-table.js';
import type { Role } from '../../server/users/model.js';
import { anonymousAgent, signIn, tokenFor, type Agent } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { actorOf, delegationId, makeCirculatedDocument, makeComment, makeUser, type MadeUser } from '../helpers/factories.js';
import { fixture } from '../helpers/comment-import.js';
import { uploadComments } from '../../server/comments/import/service.js';
import { uploadDraft } from '../../server/documents/import/service.js';
import { listProductGroups } from '../../server/documents/product-groups.js';
import { makeBallotDocument } from '../helpers/ballots.js';
import { afterReviewDate, reviewThrough } from '../helpers/review.js';
import { makePublishedDocument } from '../helpers/publishing.js';
import { addItem, saveMinutes, scheduleMeeting } from '../../server/meetings/service.js';
import { storeMinutes } from '../../server/meetings/minutes.js';
import { Meeting, type MeetingRecord } from '../../server/meetings/model.js';
import { loadPdfAssets } from '../../server/pdf/assets.js';

/*
 * Who may call what, written down here independently of the guards in the code.
 *
 * One row per "METHOD /path"; one code per session caller, in this column order:
 *   anon  manufacturer  member BY  member RU  head BY  head RU  secretariat  administrator
 * Codes:
 *   a  allowed: any answer below 500 that is none of the others
 *   s  sign-in: 302/303 to /sign-in for a page, 401 in JSON for /api/*
 *   f  403
 *   n  404
 *
 * An API token of each of the seven signed-in kinds is a caller too. Its column is not written: a token
 * acts as its person on every route, pages and exports included, and gets what that person gets with a
 * session. Its unsafe calls carry no CSRF token and need none: browsers never send a bearer token on their
 * own, so such a call cannot be forged cross-site.
 */
const draftFixture = readFileSync(fileURLToPath(new URL('../fixtures/draft-import/typed.docx', import.meta.url)));

const matrix: Record<string, string> = {
  //                                        an ma mB mR hB hR se ad
  'GET /healthz':                           'a  a  a  a  a  a  a  a',
  'GET /readyz':                            'a  a  a  a  a  a  a  a',
  'GET /':                                  'a  a  a  a  a  a  a  a',
  'GET /locale/:lang':                      'a  a  a  a  a  a  a  a',

  'GET /setup':                             'n  n  n  n  n  n  n  n',
  'POST /setup':                            'n  n  n  n  n  n  n  n',

  'GET /sign-in':                           'a  a  a  a  a  a  a  a',
  'POST /sign-in':                          'a  a  a  a  a  a  a  a',
  'POST /sign-out':                         'a  a  a  a  a  a  a  a',
  'GET /password/forgot':                   'a  a  a  a  a  a  a  a',
  'POST /password/forgot':                  'a  a  a  a  a  a  a  a',
  'GET /password/reset/:token':             'a  a  a  a  a  a  a  a',
  'POST /password/reset/:token':            'a  a  a  a  a  a  a  a',
  'GET /invitations/:token':                'a  a  a  a  a  a  a  a',
  'POST /invitations/:token':               'a  a  a  a  a  a  a  a',

  'GET /account':                           's  a  a  a  a  a  a  a',
  'POST /account/password':                 's  a  a  a  a  a  a  a',
  'POST /account/tokens':                   's  a  a  a  a  a  a  a',
  'POST /account/tokens/:id/revoke':        's  a  a  a  a  a  a  a',
  'GET /api/me':                            's  a  a  a  a  a  a  a',
  'GET /api/tokens':                        's  a  a  a  a  a  a  a',
  'GET /api/delegations':                   's  a  a  a  a  a  a  a',

  'GET /admin/users':                       's  f  f  f  f  f  f  a',
  'POST /admin/users':                      's  f  f  f  f  f  f  a',
  'GET /admin/users/:id':                   's  f  f  f  f  f  f  a',
  'POST /admin/users/:id':                  's  f  f  f  f  f  f  a',
  'GET /admin/users/:id/deactivate' :       's  f  f  f  f  f  f  a',
  'POST /admin/users/:id/deactivate':       's  f  f  f  f  f  f  a',
  'POST /admin/users/:id/activate':         's  f  f  f  f  f  f  a',
  'POST /admin/users/:id/invitation':       's  f  f  f  f  f  f  a',
  'GET /api/users':                         's  f  f  f  f  f  f  a',

  'GET /admin/delegations':                 's  f  f  f  f  f  f  a',
  'POST /admin/delegations':                's  f  f  f  f  f  f  a',
  'GET /admin/delegations/:id':             's  f  f  f  f  f  f  a',
  'POST /admin/delegations/:id':            's  f  f  f  f  f  f  a',

  'GET /admin/settings':                    's  f  f  f  f  f  f  a',
  'POST /admin/settings':                   's  f  f  f  f  f  f  a',
  'GET /admin/settings/programme':          's  f  f  f  f  f  a  a',
  'POST /admin/settings/programme':         's  f  f  f  f  f  a  a',

  // The work programme (docs/programme.md): the committee's roles read the plan; a manufacturer does not.
  'GET /plan':                              's  f  a  a  a  a  a  a',
  'GET /plan.xlsx':                         's  f  a  a  a  a  a  a',
  'GET /api/plan':                          's  f  a  a  a  a  a  a',

  'GET /admin/product-groups':              's  f  f  f  f  f  a  a',
  'POST /admin/product-groups':             's  f  f  f  f  f  a  a',
  'GET /admin/product-groups/:id':          's  f  f  f  f  f  a  a',
  'POST /admin/product-groups/:id':         's  f  f  f  f  f  a  a',

  // The list is open to all but shows each caller only what they may see; a draft is "not found"
  // (never "forbidden") to those outside the committee.
  'GET /documents':                         'a  a  a  a  a  a  a  a',
  'GET /documents/new':                     's  f  f  f  f  f  a  f',
  'POST /documents':                        's  f  f  f  f  f  a  f',
  // A Word draft imported by the secretariat: each upload its owner's alone (another member of the
  // secretariat is told it does not exist: docs/draft-import.md).
  'GET /documents/import':                  's  f  f  f  f  f  a  f',
  'POST /documents/import':                 's  f  f  f  f  f  a  f',
  'GET /documents/import/:draftImportId':   's  f  f  f  f  f  a  f',
  'POST /documents/import/:draftImportId':  's  f  f  f  f  f  a  f',
  'POST /api/draft-imports':                's  f  f  f  f  f  a  f',
  'GET /api/draft-imports/:draftImportId':  's  f  f  f  f  f  a  f',
  'POST /api/draft-imports/:draftImportId/confirm':'s  f  f  f  f  f  a  f',
  'GET /documents/:id':                     'n  n  a  a  a  a  a  a',
  'GET /documents/:id/history':             'n  n  a  a  a  a  a  a',
  'GET /documents/:id/revisions/:number':   'n  n  a  a  a  a  a  a',
  'GET /documents/:id/compare':             'n  n  a  a  a  a  a  a',
  'GET /documents/:id/revisions/:number/pdf':'n  n  a  a  a  a  a  a',
  'GET /documents/:id/revisions/:number/docx':'n  n  a  a  a  a  a  a',
  'GET /documents/:id/compare/pdf':         'n  n  a  a  a  a  a  a',
  'GET /documents/:id/edit':                's  f  f  f  f  f  a  f',
  'POST /documents/:id/details':            's  f  f  f  f  f  a  f',
  'GET /documents/:id/clauses/new':         's  f  f  f  f  f  a  f',
  'POST /documents/:id/clauses':            's  f  f  f  f  f  a  f',
  'GET /documents/:id/clauses/:key/edit':   's  f  f  f  f  f  a  f',
  'POST /documents/:id/clauses/:key':       's  f  f  f  f  f  a  f',
  'POST /documents/:id/clauses/:key/move':  's  f  f  f  f  f  a  f',
  'GET /documents/:id/clauses/:key/delete': 's  f  f  f  f  f  a  f',
  'POST /documents/:id/clauses/:key/delete':'s  f  f  f  f  f  a  f',
  'POST /documents/:id/revisions':          's  f  f  f  f  f  a  f',
  'POST /documents/:id/transitions/:name':  's  f  f  f  f  f  a  f',
  'GET /documents/:id/check':               's  f  f  f  f  f  a  f',
  'POST /documents/:id/targets':            's  f  f  f  f  f  a  f',
  'GET /documents/:id/cancel':              's  f  f  f  f  f  a  f',
  'POST /documents/:id/cancel':             's  f  f  f  f  f  a  f',

  'GET /api/documents':                     'a  a  a  a  a  a  a  a',
  'POST /api/documents':                    's  f  f  f  f  f  a  f',
  'GET /api/documents/:id':                 'n  n  a  a  a  a  a  a',
  'PATCH /api/documents/:id':               's  f  f  f  f  f  a  f',
  'GET /api/documents/:id/history':         'n  n  a  a  a  a  a  a',
  'GET /api/documents/:id/revisions':       'n  n  a  a  a  a  a  a',
  'GET /api/documents/:id/revisions/:number':'n  n  a  a  a  a  a  a',
  'POST /api/documents/:id/revisions':      's  f  f  f  f  f  a  f',
  'POST /api/documents/:id/clauses':        's  f  f  f  f  f  a  f',
  'PATCH /api/documents/:id/clauses/:key':  's  f  f  f  f  f  a  f',
  'POST /api/documents/:id/clauses/:key/move':'s  f  f  f  f  f  a  f',
  'DELETE /api/documents/:id/clauses/:key': 's  f  f  f  f  f  a  f',
  'POST /api/documents/:id/transitions/:name':'s  f  f  f  f  f  a  f',
  'GET /api/documents/:id/check':           's  f  f  f  f  f  a  f',
  'GET /api/documents/:id/compare':         'n  n  a  a  a  a  a  a',
  // Ballots: the result is the committee's; only a head casts the delegation's vote (the fixture's ballot is open).
  'GET /documents/:id/ballot':              'n  n  a  a  a  a  a  a',
  'POST /documents/:id/ballot/vote':        's  f  f  f  a  a  f  f',
  'GET /api/documents/:id/ballot':          'n  n  a  a  a  a  a  a',
  'POST /api/documents/:id/ballot/vote':    's  f  f  f  a  a  f  f',
  // Systematic review (docs/review.md): the committee reads it; heads answer; the secretariat opens it and draws up
  // the act. The fixture is a published standard with one finished review (its act stored), so opening and the act refuse with 4xx.
  'GET /documents/:id/review':              'n  n  a  a  a  a  a  a',
  'POST /documents/:id/review/open':        's  f  f  f  f  f  a  f',
  'POST /documents/:id/review/answer':      's  f  f  f  a  a  f  f',
  'GET /documents/:id/review/act':          's  f  f  f  f  f  a  f',
  'POST /documents/:id/review/act':         's  f  f  f  f  f  a  f',
  'GET /documents/:id/review/:number/act.pdf':'n  n  a  a  a  a  a  a',
  'GET /api/documents/:id/review':          'n  n  a  a  a  a  a  a',
  'POST /api/documents/:id/review/answer':  's  f  f  f  a  a  f  f',
  'POST /api/documents/:id/review/open':    's  f  f  f  f  f  a  f',
  'POST /api/documents/:id/review/act':     's  f  f  f  f  f  a  f',
  // Comments: released ones are the committee's; the fixture comment is a released one of BY.
  'GET /documents/:id/comments':            's  f  a  a  a  a  a  a',
  'POST /documents/:id/comments':           's  f  a  a  a  a  f  f',
  'GET /documents/:id/comments/export.csv': 's  f  a  a  a  a  a  a',
  'GET /documents/:id/comments/export.xlsx':'s  f  a  a  a  a  a  a',
  'GET /documents/:id/comments/export.pdf': 's  f  a  a  a  a  a  a',
  'GET /documents/:id/comments/export.docx':'s  f  a  a  a  a  a  a',
  'GET /documents/:id/comments/statistics': 's  f  a  a  a  a  a  a',
  'GET /documents/:id/position' :           's  f  f  f  a  a  f  f',
  'POST /documents/:id/position':           's  f  f  f  a  a  f  f',
  'GET /documents/:id/comments/:commentId': 's  f  a  a  a  a  a  a',
  'POST /documents/:id/comments/:commentId':'s  f  a  f  a  f  f  f',
  'POST /documents/:id/comments/:commentId/replies':'s  f  a  a  a  a  a  a',
  'POST /documents/:id/comments/:commentId/drop':'s  f  f  f  a  f  f  f',
  'POST /documents/:id/comments/:commentId/merge':'s  f  f  f  a  f  f  f',
  'POST /documents/:id/comments/:commentId/disposition':'s  f  f  f  f  f  a  f',
  // Bulk dispositions and the disposition report of all rounds (docs/answers.md): the bulk is the
  // secretariat's; the report is read by the committee as the summary is.
  'POST /documents/:id/dispositions':'s  f  f  f  f  f  a  f',
  'GET /documents/:id/disposition-report':   's  f  a  a  a  a  a  a',
  'GET /documents/:id/disposition-report.pdf':'s  f  a  a  a  a  a  a',
  'GET /api/documents/:id/disposition-report':'s  f  a  a  a  a  a  a',
  // Applying an accepted comment's proposed change to the next revision (docs/applying-changes.md): the
  // secretariat alone (the fixture's comment has no disposition yet, so it is refused with 409).
  'GET /documents/:id/comments/:commentId/apply':'s  f  f  f  f  f  a  f',
  'POST /documents/:id/comments/:commentId/apply':'s  f  f  f  f  f  a  f',
  // The commenter's answer to the dispositions: the delegation reads its page, its head answers for its own
  // comments only (the fixture's comment is BY's; its period is still open, so the head's answer is refused with 409).
  'GET /documents/:id/answers':             's  f  a  a  a  a  f  f',
  'POST /documents/:id/answers':            's  f  f  f  a  a  f  f',
  'POST /documents/:id/answers/:commentId': 's  f  f  f  a  f  f  f',
  // Importing a file of comments: a head or member uploads; an upload is its owner's alone, so the
  // fixture's (a BY member's made for it) is not found by anyone else, its own delegation included.
  'POST /documents/:id/comment-imports':    's  f  a  a  a  a  f  f',
  'GET /documents/:id/comment-imports/:importId':'s  f  n  n  n  n  f  f',
  'POST /documents/:id/comment-imports/:importId':'s  f  n  n  n  n  f  f',
  'POST /api/documents/:id/comment-imports':'s  f  a  a  a  a  f  f',
  'GET /api/documents/:id/comment-imports/:importId':'s  f  n  n  n  n  f  f',
  'POST /api/documents/:id/comment-imports/:importId/confirm':'s  f  n  n  n  n  f  f',
  // The comment stage in the JSON API: the same guards as its pages (the fixture comment is BY's released one).
  'GET /api/documents/:id/comments':        's  f  a  a  a  a  a  a',
  'POST /api/documents/:id/comments':       's  f  a  a  a  a  f  f',
  'GET /api/documents/:id/comment-summary':'s  f  a  a  a  a  a  a',
  'GET /api/documents/:id/position':        's  f  f  f  a  a  f  f',
  'POST /api/documents/:id/position':       's  f  f  f  a  a  f  f',
  'GET /api/documents/:id/comments/:commentId':'s  f  a  a  a  a  a  a',
  'PATCH /api/documents/:id/comments/:commentId':'s  f  a  f  a  f  f  f',
  'POST /api/documents/:id/comments/:commentId/replies':'s  f  a  a  a  a  a  a',
  'POST /api/documents/:id/comments/:commentId/drop':'s  f  f  f  a  f  f  f',
  'POST /api/documents/:id/comments/:commentId/merge':'s  f  f  f  a  f  f  f',
  'POST /api/documents/:id/comments/:commentId/disposition':'s  f  f  f  f  f  a  f',
  'POST /api/documents/:id/dispositions':'s  f  f  f  f  f  a  f',
  // The head answers its own delegation's comment (the fixture's period is open: 409 for head BY).
  'POST /api/documents/:id/comments/:commentId/answer':'s  f  f  f  a  f  f  f',
  'GET /api/documents/:id/comments/:commentId/application':'s  f  f  f  f  f  a  f',
  'POST /api/documents/:id/comments/:commentId/application':'s  f  f  f  f  f  a  f',
  'GET /notifications/unsubscribe':         'a  a  a  a  a  a  a  a',
  'POST /notifications/unsubscribe':        'a  a  a  a  a  a  a  a',
  'POST /account/notifications':            's  a  a  a  a  a  a  a',

  // The public catalogue. Its :id fixture is the circulated draft: a document that is not published is
  // not found there by anyone, the committee included.
  'GET /catalogue':                         'a  a  a  a  a  a  a  a',
  'GET /catalogue/feed.atom':               'a  a  a  a  a  a  a  a',
  'GET /catalogue/:id':                     'n  n  n  n  n  n  n  n',
  'GET /catalogue/:id/requirements.csv':    'n  n  n  n  n  n  n  n',
  'GET /catalogue/:id/requirements.json':   'n  n  n  n  n  n  n  n',
  'GET /catalogue/:id/changes':             'n  n  n  n  n  n  n  n',
  // Publication (secretariat): on the draft fixture the pages explain why not, the forms refuse.
  'GET /documents/:id/publish':             's  f  f  f  f  f  a  f',
  'POST /documents/:id/publish':            's  f  f  f  f  f  a  f',
  'GET /documents/:id/publish/proof.pdf':   's  f  f  f  f  f  a  f',
  'GET /documents/:id/amend':               's  f  f  f  f  f  a  f',
  'POST /documents/:id/amend':              's  f  f  f  f  f  a  f',
  'POST /documents/:id/amendment':          's  f  f  f  f  f  a  f',
  'POST /api/documents/:id/amendment':      's  f  f  f  f  f  a  f',
  'GET /documents/:id/withdraw':            's  f  f  f  f  f  a  f',
  'POST /documents/:id/withdraw':           's  f  f  f  f  f  a  f',
  // Downloads and verification are public; their :id fixture is a published document.
  'GET /catalogue/:id/pdf':                 'a  a  a  a  a  a  a  a',
  'GET /catalogue/:id/editions/:edition/pdf': 'a  a  a  a  a  a  a  a',
  'GET /catalogue/:id/docx':                'a  a  a  a  a  a  a  a',
  'GET /catalogue/:id/sts.xml':             'a  a  a  a  a  a  a  a',
  'GET /api/catalogue/:id/sts.xml':         'a  a  a  a  a  a  a  a',
  'GET /verify':                            'a  a  a  a  a  a  a  a',
  'POST /verify':                           'a  a  a  a  a  a  a  a',
  'GET /verify/:id':                        'a  a  a  a  a  a  a  a',
  'GET /api/verify/:sha256':                'a  a  a  a  a  a  a  a',
  // Subscriptions to catalogue changes are for registered manufacturers.
  'GET /account/subscriptions':             's  a  f  f  f  f  f  f',
  'POST /account/subscriptions':            's  a  f  f  f  f  f  f',

  // Meetings are the committee's: to the public and manufacturers they do not exist (404, not a sign-in);
  // the secretariat alone schedules, edits and decides. Cancellation and removal act on throwaway fixtures.
  'GET /meetings':                          'n  n  a  a  a  a  a  a',
  'GET /meetings/new':                      'n  n  f  f  f  f  a  f',
  'POST /meetings':                         'n  n  f  f  f  f  a  f',
  'GET /meetings/:id':                      'n  n  a  a  a  a  a  a',
  'GET /meetings/:id/edit':                 'n  n  f  f  f  f  a  f',
  'POST /meetings/:id':                     'n  n  f  f  f  f  a  f',
  'GET /meetings/:id/cancel':               'n  n  f  f  f  f  a  f',
  'POST /meetings/:id/cancel':              'n  n  f  f  f  f  a  f',
  'POST /meetings/:id/agenda':              'n  n  f  f  f  f  a  f',
  'POST /meetings/:id/agenda/:itemId/move': 'n  n  f  f  f  f  a  f',
  'POST /meetings/:id/agenda/:itemId/remove':'n  n  f  f  f  f  a  f',
  'POST /meetings/:id/agenda/:itemId/decision':'n  n  f  f  f  f  a  f',
  'POST /meetings/:id/send':                'n  n  f  f  f  f  a  f',
  'POST /meetings/:id/minutes':             'n  n  f  f  f  f  a  f',
  'GET /meetings/:id/minutes.pdf':          'n  n  a  a  a  a  a  a',
  'GET /meetings/:id/invitation.ics':       'n  n  a  a  a  a  a  a',
  // The same through the JSON API: a call without credentials is told to sign in; to a manufacturer meetings do not exist.
  'GET /api/meetings':                      's  n  a  a  a  a  a  a',
  'POST /api/meetings':                     's  n  f  f  f  f  a  f',
  'GET /api/meetings/:id':                  's  n  a  a  a  a  a  a',
  'POST /api/meetings/:id/decisions':       's  n  f  f  f  f  a  f',

  'GET /api/openapi.json':                  'a  a  a  a  a  a  a  a',
  'GET /api/docs':                          'a  a  a  a  a  a  a  a',
};

/** Rows whose request ends the caller's own session: each such call gets a freshly signed-in agent. */
const endsTheSession = new Set(['POST /sign-out', 'POST /account/password']);

type Outcome = 'a' | 's' | 'f' | 'n';
const outcomeName: Record<Outcome, string> = { a: 'allowed', s: 'sign-in', f: '403', n: '404' };

interface Person {
  label: string;
  role: Role;
  delegation?: 'BY' | 'RU';
}
const people: Person[] = [
  { label: 'manufacturer', role: 'manufacturer' },
  { label: 'member BY', role: 'member', delegation: 'BY' },
  { label: 'member RU', role: 'member', delegation: 'RU' },
  { label: 'head BY', role: 'head', delegation: 'BY' },
  { label: 'head RU', role: 'head', delegation: 'RU' },
  { label: 'secretariat', role: 'secretariat' },
  { label: 'administrator', role: 'administrator' },
];

interface Caller {
  label: string;
  /** The session column this caller's expectation is read from (0 = anonymous). */
  column: number;
  via: 'session' | 'token';
  user?: MadeUser;
  agent?: Agent;
  csrf?: string;
  bearer?: string;
  /** A token of the caller's own person, to be revoked by the revoke row. */
  spareTokenId?: string;
}

const unsafe = (method: string) => !['GET', 'HEAD', 'OPTIONS'].includes(method);
const isApi = (path: string) => path.startsWith('/api/');

function codesOf(key: string): Outcome[] {
  const codes = matrix[key]!.split(/\s+/) as Outcome[];
  assert.equal(codes.length, 8, `the row for ${key} needs 8 codes`);
  for (const c of codes) assert.ok(c in outcomeName, `unknown code "${c}" in the row for ${key}`);
  return codes;
}

/** The rule above, for one caller. */
function expected(key: string, caller: Caller): Outcome {
  const codes = codesOf(key);
  return codes[caller.column]!;
}

function classify(path: string, res: request.Response): Outcome | string {
  if (res.status >= 500) return `${res.status} (never allowed)`;
  if (isApi(path) && res.status === 401) return res.type === 'application/json' && res.body?.error?.message ? 's' : '401 without a JSON error';
  if (!isApi(path) && (res.status === 302 || res.status === 303) && /^\/sign-in(\?|$)/.test(String(res.headers.location))) return 's';
  if (res.status === 403) return 'f';
  if (res.status === 404) return 'n';
  if (res.status === 401) return '401 on a page';
  return 'a';
}

function summary(codes: Outcome[]): string {
  const line = codes.join('');
  if (/^a+$/.test(line)) return 'is open to every caller';
  if (line === 'saaaaaaa') return 'is open to every signed-in person, anonymous callers go to sign-in';
  if (line === 'sffffffa') return 'is for the administrator only';
  if (/^n+$/.test(line)) return 'answers 404 to everyone';
  return `answers ${codes.map((c) => outcomeName[c]).join(' / ')}`;
}

describe('access matrix', () => {
  let app: Express;
  const callers: Caller[] = [];
  const fixtures = { personId: '', inactivePersonId: '', delegationId: '', anyTokenId: '', documentId: '', productGroupId: '', commentId: '', ballotDocumentId: '', publishedDocumentId: '', reviewedDocumentId: '', importId: '', meetingId: '', itemId: '' };
  const unknownLinkToken = randomBytes(32).toString('base64url');

  before(async function () {
    this.timeout(60_000);
    app = testApp();
    fixtures.delegationId = String(await delegationId('BY'));
    fixtures.personId = (await makeUser('member', { delegation: 'RU' })).id;
    fixtures.inactivePersonId = (await makeUser('manufacturer', { active: false })).id;
    fixtures.anyTokenId = (await createApiToken(fixtures.personId, 'someone else’s')).token.id;
    // Out for comments, with a released comment of BY: every document and comment route has something real to find.
    fixtures.documentId = (await makeCirculatedDocument()).id;
    // An upload of comments waiting for its confirmation, before BY's position is released.
    const uploader = actorOf(await makeUser('member', { delegation: 'BY' }));
    fixtures.importId = String((await uploadComments(uploader, fixtures.documentId, async () => ({ bytes: fixture('osd-export.xlsx'), name: 'comments.xlsx' }), new Date()))._id);
    fixtures.commentId = (await makeComment(fixtures.documentId, { delegation: 'BY', release: true })).id;
    fixtures.productGroupId = String((await listProductGroups())[0]!._id);
    fixtures.ballotDocumentId = (await makeBallotDocument()).id;
    fixtures.publishedDocumentId = (await makePublishedDocument()).id;
    const reviewed = await makePublishedDocument();
    fixtures.reviewedDocumentId = reviewed.id;
    await reviewThrough(reviewed.id, reviewed.by, { BY: 'confirm', RU: 'confirm' }, afterReviewDate(), { act: {} });
    const meeting = await aMeeting();
    fixtures.meetingId = String(meeting._id);
    fixtures.itemId = String(meeting.agenda[0]!._id);
    await saveMinutes(meeting, await storeMinutes(meeting, loadPdfAssets(), 'ru', new Date()));

    callers.push({ label: 'anonymous', column: 0, via: 'session', ...(await anonymousAgent(app)) });
    for (const [i, p] of people.entries()) {
      const user = await makeUser(p.role, { delegation: p.delegation });
      const session = await signIn(app, user);
      callers.push({ label: p.label, column: i + 1, via: 'session', user, ...session, spareTokenId: (await createApiToken(user.id, 'spare')).token.id });
      const bearer = await tokenFor(user);
      callers.push({ label: `token of ${p.label}`, column: i + 1, via: 'token', user, bearer, spareTokenId: (await createApiToken(user.id, 'spare')).token.id });
    }
  });

  /** An upload of a draft waiting for its confirmation: the secretariat caller's own, or another member's of the secretariat. */
  const draftImports = new Map<string, string>();
  async function draftImportOf(owner: MadeUser | undefined): Promise<string> {
    const key = owner?.id ?? '';
    if (!draftImports.has(key)) {
      const by = owner ?? (await makeUser('secretariat'));
      draftImports.set(key, String((await uploadDraft(actorOf(by), async () => ({ bytes: draftFixture, name: 'draft.docx' }), new Date()))._id));
    }
    return draftImports.get(key)!;
  }

  /** A meeting of the secretariat with one item on its agenda. */
  async function aMeeting() {
    const secretariat = actorOf(await makeUser('secretariat'));
    const m = await scheduleMeeting(secretariat, { title: 'Заседание', startsAt: new Date('2026-12-15T07:00:00Z'), durationMinutes: 60, participants: [fixtures.personId], guests: [] });
    await addItem(secretariat, String(m._id), { kind: 'other', title: 'Разное' });
    return (await Meeting.findById(m._id).lean<MeetingRecord>())!;
  }

  /** A real value for each path parameter; a new kind of parameter must be taught here. */
  async function urlFor(path: string, caller: Caller): Promise<string> {
    let url = path;
    let lastThrowaway: Awaited<ReturnType<typeof aMeeting>> | undefined;
    for (const [, name] of path.matchAll(/:(\w+)/g)) {
      let value: string;
      if (name === 'token') value = unknownLinkToken; // one-time links: public, an unknown one answers 410
      else if (name === 'lang') value = 'ru';
      else if (name === 'id' && path.startsWith('/admin/delegations/')) value = fixtures.delegationId;
      else if (name === 'id' && path.startsWith('/account/tokens/')) value = caller.spareTokenId ?? fixtures.anyTokenId;
      // Deactivation targets a throwaway person made for this one request, never the caller.
      else if (name === 'id' && path.endsWith('/deactivate')) value = (await makeUser('member', { delegation: 'BY' })).id;
      else if (name === 'id' && path.endsWith('/activate')) value = fixtures.inactivePersonId;
      else if (name === 'id' && path.endsWith('/invitation')) value = (await makeUser('member', { delegation: 'RU', invited: true })).id;
      else if (name === 'id' && path.startsWith('/admin/users/')) value = fixtures.personId;
      else if (name === 'id' && path.startsWith('/admin/product-groups/')) value = fixtures.productGroupId;
      else if (name === 'id' && /^\/(api\/)?documents\/:id\/ballot/.test(path)) value = fixtures.ballotDocumentId;
      else if (name === 'id' && /^\/(api\/)?documents\/:id\/review/.test(path)) value = fixtures.reviewedDocumentId;
      else if (name === 'id' && /^\/(api\/)?documents\//.test(path)) value = fixtures.documentId;
      else if (name === 'edition') value = '1';
      else if (name === 'id' && (path === '/catalogue/:id/pdf' || path === '/catalogue/:id/editions/:edition/pdf' || path === '/catalogue/:id/docx' || path.endsWith('/sts.xml') || path.startsWith('/verify/'))) value = fixtures.publishedDocumentId;
      else if (name === 'id' && path.startsWith('/catalogue/')) value = fixtures.documentId;
      // Cancelling ends a meeting and removing takes its item: each such call gets a meeting of its own.
      else if (name === 'id' && path.startsWith('/meetings/') && (path.endsWith('/cancel') || path.endsWith('/remove'))) value = String((lastThrowaway = await aMeeting())._id);
      else if (name === 'id' && /^\/(api\/)?meetings\//.test(path)) value = fixtures.meetingId;
      else if (name === 'itemId' && lastThrowaway) value = String(lastThrowaway.agenda[0]!._id);
      else if (name === 'itemId') value = fixtures.itemId;
      else if (name === 'key') value = 'scope';
      else if (name === 'sha256') value = 'f'.repeat(64);
      else if (name === 'commentId') value = fixtures.commentId;
      else if (name === 'importId') value = fixtures.importId;
      // The secretariat reaches its own upload of a draft; anyone else is refused before it is looked for.
      else if (name === 'draftImportId') value = await draftImportOf(caller.user?.role === 'secretariat' ? caller.user : undefined);
      else if (name === 'number') value = '1';
      // A move the draft cannot make: the guard answers first, and the fixture keeps its state.
      else if (name === 'name') value = 'publish';
      else throw new Error(`the access matrix has no value for :${name} in ${path}`);
      url = url.replace(`:${name}`, encodeURIComponent(value));
    }
    return url;
  }

  async function call(key: string, caller: Caller): Promise<request.Response> {
    const [method, path] = key.split(' ') as [string, string];
    const url = await urlFor(path, caller);
    const m = method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';

    if (caller.via === 'token') {
      const req = request(app)[m](url).set('Authorization', `Bearer ${caller.bearer}`);
      return unsafe(method) ? req.type('form').send({}) : req;
    }

    let { agent, csrf } = caller as Required<Pick<Caller, 'agent' | 'csrf'>>;
    if (endsTheSession.has(key)) ({ agent, csrf } = caller.user ? await signIn(app, caller.user) : await anonymousAgent(app));
    // A valid CSRF token, so that the matrix tests the guard and not the CSRF check; the body is empty:
    // a guard must answer before any validation.
    return unsafe(method) ? agent[m](url).set('X-CSRF-Token', csrf).type('form').send({}) : agent[m](url);
  }

  it('has a row for every route the app registers', () => {
    const missing = registeredRoutes(app)
      .map((r) => `${r.method} ${r.path}`)
      .filter((key) => !(key in matrix))
      .map((key) => `no row in the access matrix for ${key}`);
    assert.deepEqual(missing, []);
  });

  it('has no row for a route that no longer exists', () => {
    const registered = new Set(registeredRoutes(app).map((r) => `${r.method} ${r.path}`));
    const stale = Object.keys(matrix)
      .filter((key) => !registered.has(key))
      .map((key) => `the access matrix has a row for ${key}, which the app does not register`);
    assert.deepEqual(stale, []);
  });

  for (const key of Object.keys(matrix)) {
    it(`${key} ${summary(codesOf(key))}`, async function () {
      const registered = registeredRoutes(app).some((r) => `${r.method} ${r.path}` === key);
      assert.ok(registered, `the access matrix has a row for ${key}, which the app does not register`);
      const wrong: string[] = [];
      for (const caller of callers) {
        const res = await call(key, caller);
        const want = expected(key, caller);
        const got = classify(key.split(' ')[1]!, res);
        if (got !== want) wrong.push(`${caller.label}: expected ${outcomeName[want]}, got ${outcomeName[got as Outcome] ?? got} (HTTP ${res.status}${res.headers.location ? ` → ${res.headers.location}` : ''})`);
      }
      assert.deepEqual(wrong, [], `${key}:\n  ${wrong.join('\n  ')}`);
    });
  }
});
