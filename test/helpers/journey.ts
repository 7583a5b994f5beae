// A representative journey through Accord over HTTP, for the index coverage test: every list page and the
// forms and services behind them, by each role, from a draft to a published, amended and withdrawn
// standard, with the scheduled sweep and the notices. Each step asserts its answer, so that a step that
// silently failed cannot leave its queries out.
import { sendDigests } from '../../server/home/digest.js';
import { sendLateReports } from '../../server/programme/index.js';
import { atCommitteeTime, dayOf } from '../../server/time/days.js';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Express } from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { mongoose } from '../../server/db/mongoose.js';
import { migrations, runMigrations } from '../../server/db/migrations/run.js';
import { startScheduler } from '../../server/jobs/scheduler.js';
import { anonymousAgent, csrfOf, signIn, tokenFor } from './agent.js';
import { fixture } from './comment-import.js';
import { drainNotices, publicUrl, testSystem } from './app.js';
import { makeBallotDocument } from './ballots.js';
import { testEnv } from './env.js';
import { delegationId, makeUser, password, uniqueEmail, type MadeUser } from './factories.js';
import { approve, inDays, makePublishedDocument } from './publishing.js';
import { linkIn } from './smtp.js';
import { finishTemplateText } from './finished-text.js';

export interface Caller {
  user: MadeUser;
  get(path: string, status?: number): Promise<request.Response>;
  post(path: string, form?: Record<string, unknown>, status?: number): Promise<request.Response>;
  json(method: 'post' | 'patch', path: string, body: Record<string, unknown>, status?: number): Promise<request.Response>;
  /** Sends a file as the body (the API's uploads). */
  upload(path: string, file: Buffer, status?: number): Promise<request.Response>;
}

/** A person calling with a personal API token: forms posted with one need no CSRF token. */
async function caller(app: Express, user: MadeUser): Promise<Caller> {
  const auth = `Bearer ${await tokenFor(user)}`;
  return {
    user,
    get: (path, status = 200) => request(app).get(path).set('authorization', auth).expect(status),
    post: (path, form = {}, status = 303) => request(app).post(path).set('authorization', auth).type('form').send(form).expect(status),
    json: (method, path, body, status = 200) => request(app)[method](path).set('authorization', auth).send(body).expect(status),
    upload: (path, file, status = 201) => request(app).post(path).set('authorization', auth).type('application/octet-stream').send(file).expect(status),
  };
}

export interface Cast {
  admin: Caller;
  secretariat: Caller;
  heads: { BY: Caller; RU: Caller };
  members: { BY: Caller; RU: Caller };
  manufacturer: Caller;
}

export async function castOf(app: Express): Promise<Cast> {
  const as = async (role: Parameters<typeof makeUser>[0], delegation?: 'BY' | 'RU') => caller(app, await makeUser(role, { delegation }));
  return {
    admin: await as('administrator'),
    secretariat: await as('secretariat'),
    heads: { BY: await as('head', 'BY'), RU: await as('head', 'RU') },
    members: { BY: await as('member', 'BY'), RU: await as('member', 'RU') },
    manufacturer: await as('manufacturer'),
  };
}

const idFrom = (location: string, pattern: RegExp): string => {
  const m = pattern.exec(location);
  assert.ok(m, `no id in ${location}`);
  return m[1]!;
};

/** The administrator's pages: people (invite, change, deactivate, activate), delegations, settings, product groups. */
export async function administration({ admin }: Cast): Promise<void> {
  await admin.get('/admin/users');
  const email = uniqueEmail('invited');
  await admin.post('/admin/users', { name: 'Ольга Приглашённая', email, role: 'member', delegation: 'BY' });
  const users = (await admin.get(`/api/users?q=${encodeURIComponent(email)}`)).body.users as { id: string; email: string }[];
  const invited = users.find((u) => u.email === email)!.id;
  // The list of people a page at a time: searched, filtered by each of its choices and by all at once.
  for (const query of ['q=Ольга', 'q=Ольга+Приглашённая', 'delegation=BY', 'role=member', 'status=active', 'status=invited', 'status=deactivated', 'delegation=RU&role=head', 'role=member&status=invited', 'delegation=BY&status=active', 'q=Ольга&delegation=BY&role=member&status=invited&page=2']) {
    await admin.get(`/admin/users?${query}`);
  }
  await admin.get('/api/users?role=member&pageSize=10&page=2');
  await admin.get(`/admin/users/${invited}`);
  await admin.post(`/admin/users/${invited}`, { name: 'Ольга Приглашённая-Новая', role: 'member', delegation: 'BY' });
  await admin.post(`/admin/users/${invited}`, { name: 'Ольга Приглашённая-Новая', role: 'head', delegation: 'BY' });
  await admin.post(`/admin/users/${invited}/invitation`);
  await admin.post(`/admin/users/${invited}/deactivate`);
  await admin.post(`/admin/users/${invited}/activate`);
  await admin.get('/admin/delegations');
  await admin.get(`/admin/delegations/${await delegationId('BY')}`);
  await admin.get('/api/delegations');
  await admin.get('/admin/settings');
  await admin.get('/admin/settings/programme');
  await admin.get('/admin/product-groups');
}

/** A person of their own: invited by mail, sets a password by the link, signs in, looks after the account, signs out. */
export async function account(app: Express, { admin }: Cast): Promise<void> {
  const email = uniqueEmail('newcomer');
  await admin.post('/admin/users', { name: 'Пётр Новиков', email, role: 'member', delegation: 'RU' });
  const link = linkIn(await testEnv().smtp.waitFor(email), publicUrl).slice(publicUrl.length);
  const guest = await anonymousAgent(app);
  await guest.agent.get(link).expect(200);
  await guest.agent.post(link).type('form').send({ _csrf: guest.csrf, password, confirm: password }).expect(200);
  const { agent, csrf } = await signIn(app, { email, password });
  await agent.get('/api/me').expect(200);
  await agent.post('/account/tokens').type('form').send({ _csrf: csrf, name: 'таблица' }).expect(201);
  const tokens = (await agent.get('/api/tokens').expect(200)).body.tokens as { id: string }[];
  await agent.post(`/account/tokens/${tokens[0]!.id}/revoke`).type('form').send({ _csrf: csrf }).expect(303);
  await agent.post('/account/notifications').type('form').send({ _csrf: csrf }).expect(303);
  await agent.get('/locale/en').expect(303);
  const changed = await agent.post('/account/password').type('form').send({ _csrf: csrf, current: password, password: `${password} 2`, confirm: `${password} 2` }).expect(200);
  await agent.post('/sign-out').type('form').send({ _csrf: csrfOf(changed.text) }).expect(303);
  await guest.agent.post('/sign-in').type('form').send({ _csrf: guest.csrf, email, password: 'wrong' }).expect(401);
  await guest.agent.post('/password/forgot').type('form').send({ _csrf: guest.csrf, email }).expect(200);
  await guest.agent.get('/password/reset/not-a-token').expect(410);
}

/** The secretariat drafts a document: the form, the editor, details and clauses, then sends it out for comments. */
export async function drafting({ secretariat: sec }: Cast, title: string): Promise<string> {
  await sec.get('/documents/new');
  const made = await sec.post('/documents', { kind: 'general-technical-requirements', titleRu: title, titleEn: 'Integrated circuits', productGroup: 'integrated-circuits', ics: '31.200', developer: 'ОАО «ИНТЕГРАЛ»' });
  const id = idFrom(made.headers.location!, /\/documents\/([0-9a-f]{24})$/);
  await sec.get('/documents');
  await sec.get(`/documents/${id}`);
  await sec.get(`/documents/${id}/edit`);
  await sec.post(`/documents/${id}/details`, { titleRu: `${title}.`, titleEn: 'Integrated circuits.', productGroup: 'integrated-circuits', ics: '31.200', developer: 'ОАО «ИНТЕГРАЛ»' });
  await sec.json('patch', `/api/documents/${id}/clauses/scope`, { version: 0, patch: { heading: 'Область применения' } });
  await sec.get(`/documents/${id}/clauses/new`);
  // The check lists what the template left blank; refused until it is accepted or filled in.
  await sec.get(`/documents/${id}/check`);
  await sec.json('post', `/api/documents/${id}/transitions/circulate`, {}, 409);
  await finishTemplateText(id);
  await sec.get(`/api/documents/${id}/check`);
  await sec.post(`/documents/${id}/transitions/circulate`, { closesDate: inDays(30) });
  return id;
}

/** Both delegations comment (on the pages and through the API); the heads edit, merge and drop, then release their national positions. */
export async function commenting({ heads, members }: Cast, id: string): Promise<void> {
  const post = async (who: Caller, clauseKey: string, text: string) =>
    idFrom((await who.post(`/documents/${id}/comments`, { clauseKey, type: 'te', text })).headers.location!, /comment-([0-9a-f]{24})$/);
  const a = await post(members.BY, 'scope', 'Уточнить область применения.');
  const b = await post(members.BY, 'scope', 'Указать классы исполнения.');
  const c = await post(members.BY, 'terms', 'Лишний термин.');
  await post(members.RU, 'scope', 'Дополнить перечнем.');
  await members.BY.get(`/documents/${id}/comments`);
  await members.BY.get(`/documents/${id}/comments/${a}`);
  await members.BY.post(`/documents/${id}/comments/${a}`, { version: 0, type: 'ge', text: 'Уточнить область применения микросхем.' });
  await members.BY.post(`/documents/${id}/comments/${a}/replies`, { text: 'Согласен.' });
  await heads.BY.get(`/documents/${id}/comments/${b}`);
  await heads.BY.post(`/documents/${id}/comments/${b}/merge`, { into: a });
  await heads.BY.post(`/documents/${id}/comments/${c}/drop`);
  // A file of comments: uploaded, previewed on its page, confirmed; the same file again finds its rows imported.
  const upload = (await members.BY.upload(`/api/documents/${id}/comment-imports`, fixture('osd-export.xlsx'))).body as { id: string };
  await members.BY.get(`/documents/${id}/comment-imports/${upload.id}`);
  await members.BY.post(`/documents/${id}/comment-imports/${upload.id}`);
  const again = (await members.BY.upload(`/api/documents/${id}/comment-imports`, fixture('osd-export.xlsx'))).body as { id: string; counts: { imported: number } };
  assert.equal(again.counts.imported, 3);
  await members.BY.json('post', `/api/documents/${id}/comment-imports/${again.id}/confirm`, {});
  // The same steps through the JSON API (docs/comments-api.md): RU writes, edits, answers, its head drops and merges and releases.
  const viaApi = async (text: string) => ((await members.RU.json('post', `/api/documents/${id}/comments`, { clauseKey: 'scope', type: 'ed', text }, 201)).body as { id: string }).id;
  const d = await viaApi('Исправить опечатку.');
  const e = await viaApi('Исправить вторую опечатку.');
  const f = await viaApi('Лишнее замечание.');
  await members.RU.json('patch', `/api/documents/${id}/comments/${d}`, { version: 0, text: 'Исправить опечатки.' });
  await members.RU.json('post', `/api/documents/${id}/comments/${d}/replies`, { text: 'Согласен.' }, 201);
  await members.RU.get(`/api/documents/${id}/comments`);
  await members.RU.get(`/api/documents/${id}/comments/${d}`);
  await heads.RU.json('post', `/api/documents/${id}/comments/${e}/merge`, { into: d });
  await heads.RU.json('post', `/api/documents/${id}/comments/${f}/drop`, {});
  await heads.RU.get(`/api/documents/${id}/position`);
  await heads.BY.post(`/documents/${id}/position`);
  await heads.RU.json('post', `/api/documents/${id}/position`, {}, 201);
}

/**
 * A committee meeting (docs/meetings.md): one comment referred to it, the meeting scheduled, its agenda
 * built, sent, decided and minuted, then changed and cancelled.
 */
export async function meeting({ secretariat: sec, members }: Cast, id: string): Promise<void> {
  const page = (await sec.get(`/documents/${id}/comments`)).text;
  const cid = [...page.matchAll(/comments\/([0-9a-f]{24})/g)].map((m) => m[1]!)[0]!;
  await sec.post(`/documents/${id}/comments/${cid}/disposition`, { decision: 'referred' });
  const form = { title: 'Заседание', day: '2026-12-15', time: '10:00', durationMinutes: 60, participants: members.BY.user.id };
  const made = await sec.post('/meetings', form);
  const mid = /\/meetings\/([0-9a-f]{24})/.exec(String(made.headers.location))![1]!;
  await sec.get('/meetings');
  await sec.get(`/meetings/${mid}`);
  await sec.post(`/meetings/${mid}/agenda`, { kind: 'all' });
  await sec.post(`/meetings/${mid}/agenda`, { kind: 'other', title: 'Разное' });
  await sec.post(`/meetings/${mid}/send`);
  const show = (await sec.get(`/meetings/${mid}`)).text;
  const items = [...show.matchAll(/agenda\/([0-9a-f]{24})\/decision/g)].map((m) => m[1]!);
  await sec.post(`/meetings/${mid}/agenda/${items.at(-1)}/move`, { direction: 'up' });
  for (const item of items) await sec.post(`/meetings/${mid}/agenda/${item}/decision`, { disposition: 'accepted', text: 'Принять.' });
  await sec.post(`/meetings/${mid}/minutes`);
  await members.BY.get(`/meetings/${mid}/minutes.pdf`);
  await members.BY.get(`/meetings/${mid}/invitation.ics`);
  await sec.get(`/documents/${id}/comments/${cid}`);
  await sec.get(`/meetings/${mid}/edit`);
  const version = (await sec.get(`/meetings/${mid}/edit`)).text.match(/name="version" value="(\d+)"/)![1]!;
  await sec.post(`/meetings/${mid}`, { ...form, time: '11:00', version });
  await sec.get(`/meetings/${mid}/cancel`);
  await sec.post(`/meetings/${mid}/cancel`, { note: 'Перенос.' });
}

/** The secretariat reads the round (filters, exports, statistics), answers every comment and opens the ballot. */
export async function resolution(cast: Cast, id: string): Promise<void> {
  const { secretariat: sec } = cast;
  for (const q of ['', '?delegation=BY', '?type=te&clause=scope', '?disposition=none', '?disposition=accepted', '?round=1&delegation=RU&disposition=accepted']) await sec.get(`/documents/${id}/comments${q}`);
  for (const what of ['export.csv', 'export.xlsx', 'export.docx', 'export.pdf', 'statistics']) await sec.get(`/documents/${id}/comments/${what}`);
  for (const q of ['', '?delegation=RU&type=ed', '?clause=scope&disposition=none', '?round=1&page=1']) await sec.get(`/api/documents/${id}/comments${q}`);
  for (const q of ['', '?delegation=BY&disposition=none']) await sec.get(`/api/documents/${id}/comment-summary${q}`);
  const first = ((await sec.get(`/api/documents/${id}/comments?delegation=RU`)).body as { released: { comments: { id: string }[] } }).released.comments[0]!.id;
  await sec.get(`/api/documents/${id}/comments/${first}`);
  await sec.json('post', `/api/documents/${id}/comments/${first}/disposition`, { decision: 'accepted', appliedInRevision: 1 });
  await sec.post(`/documents/${id}/transitions/closeComments`);
  // Refused while comments are unanswered: the page names them (the guard's blockers).
  await sec.post(`/documents/${id}/transitions/openBallot`, { closesDate: inDays(14) }, 409);
  const rows = (await sec.get(`/documents/${id}/comments/export.csv`)).text;
  const page = (await sec.get(`/documents/${id}/comments`)).text;
  const ids = [...new Set([...page.matchAll(/comments\/([0-9a-f]{24})/g)].map((m) => m[1]!))];
  assert.ok(ids.length >= 2 && rows.length > 0, 'the round has released comments');
  for (const cid of ids) await sec.post(`/documents/${id}/comments/${cid}/disposition`, { decision: 'accepted' });
  await answering(cast, id, ids);
  await sec.get(`/documents/${id}/comments?answer=disagreed`);
  await sec.get(`/documents/${id}`);
  await sec.post(`/documents/${id}/transitions/openBallot`, { closesDate: inDays(14) });
  await sec.get(`/documents/${id}/ballot`);
}

/** The heads answer the dispositions: the home page asks them, one answer is typed, the rest agreed at once. */
async function answering({ heads, members }: Cast, id: string, ids: readonly string[]): Promise<void> {
  await heads.BY.get('/');
  await members.BY.get(`/documents/${id}/answers`);
  const own = (await heads.BY.get(`/documents/${id}/answers`)).text;
  const mine = ids.find((cid) => own.includes(`/documents/${id}/answers/${cid}`));
  assert.ok(mine, 'BY has a comment to answer');
  await heads.BY.post(`/documents/${id}/answers/${mine}`, { agreed: 'no', reason: 'Не согласны.' });
  await heads.BY.post(`/documents/${id}/answers`);
  await heads.RU.post(`/documents/${id}/answers`);
}

/** Both heads vote (the second vote closes the ballot); the ballot pages, and the sweep the scheduler runs. */
export async function ballot({ heads, members }: Cast, id: string): Promise<void> {
  await heads.BY.get(`/documents/${id}/ballot`);
  await heads.BY.post(`/documents/${id}/ballot/vote`, { vote: 'approve' });
  await heads.RU.post(`/documents/${id}/ballot/vote`, { vote: 'approve' });
  await members.RU.get(`/documents/${id}/ballot`);
  await members.RU.get(`/api/documents/${id}/ballot`);
  await testSystem().sweep(new Date());
  // The daily digest, at a fixed morning hour of today, so that its queries are recorded whatever the time.
  await sendDigests({ notices: testSystem().notices }, atCommitteeTime(dayOf(new Date()), '09:00')!);
}

/** Waits until the catalogue lists the document (its listener indexes it after the move). */
async function untilListed(app: Express, id: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await request(app).get(`/catalogue/${id}`)).status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`the catalogue does not list ${id}`);
}

/** Publication and what follows it: the catalogue's pages, downloads, verification, subscriptions, amendment, withdrawal. */
export async function publication(app: Express, { secretariat: sec, manufacturer }: Cast, id: string): Promise<void> {
  await sec.get(`/documents/${id}/publish`);
  await sec.post(`/documents/${id}/publish`, { entryIntoForceBY: inDays(30), entryIntoForceRU: inDays(60) });
  await drainNotices();
  const anon = request(app);
  await untilListed(app, id);
  for (const path of ['/catalogue', '/catalogue?q=микросхемы', '/catalogue?group=integrated-circuits', `/catalogue/${id}`, `/catalogue/${id}/requirements.csv`, `/catalogue/${id}/requirements.json`, '/catalogue/feed.atom']) {
    await anon.get(path).expect(200);
  }
  await anon.get(`/catalogue/${id}/changes`).expect(404); // a first edition: nothing to compare it with
  const pdf = await anon.get(`/catalogue/${id}/pdf`).buffer(true).expect(200);
  const sha256 = createHash('sha256').update(pdf.body as Buffer).digest('hex');
  await anon.get(`/verify?sha256=${sha256}`).expect(200);
  await anon.get(`/api/verify/${sha256}`).expect(200);
  await manufacturer.get('/account/subscriptions');
  await manufacturer.post('/account/subscriptions', { groups: ['integrated-circuits', 'laser-machines'] });
  await sec.get(`/documents/${id}/amend`);
  const successor = idFrom((await sec.post(`/documents/${id}/amend`)).headers.location!, /\/documents\/([0-9a-f]{24})$/);
  await sec.get(`/documents/${successor}`);
  const other = await makePublishedDocument({ by: sec.user });
  await sec.get(`/documents/${other.id}/withdraw`);
  await sec.post(`/documents/${other.id}/withdraw`, { reason: 'Заменён', date: inDays(0) });
  await drainNotices();
  // An amendment (docs/amendments.md): started, read, published; the standard's consolidated edition listed and downloaded.
  const amended = await makePublishedDocument({ by: sec.user });
  await sec.get(`/documents/${amended.id}/amend`);
  const amendment = idFrom((await sec.post(`/documents/${amended.id}/amendment`)).headers.location!, /\/documents\/([0-9a-f]{24})$/);
  await sec.get(`/documents/${amendment}`);
  await approve(amendment, sec.user);
  await sec.post(`/documents/${amendment}/publish`, { entryIntoForceBY: inDays(30), entryIntoForceRU: inDays(30) });
  await drainNotices();
  await untilListed(app, amendment);
  await anon.get(`/catalogue/${amended.id}`).expect(200);
  await anon.get(`/catalogue/${amended.id}/editions/1/pdf`).expect(200);
}

/** The document's pages and JSON as anyone reads them: the list (a page at a time), the page with its history and the whole history, the revisions. */
export async function reading(app: Express, { members }: Cast, id: string): Promise<void> {
  const anon = request(app);
  await anon.get('/documents').expect(200);
  await anon.get('/documents?page=2').expect(200);
  await anon.get('/api/documents').expect(200);
  await members.RU.get('/documents');
  await members.RU.get('/documents?page=2');
  await members.RU.get('/api/documents?page=2&pageSize=5');
  await members.RU.get(`/documents/${id}`);
  await members.RU.get(`/documents/${id}/history`);
  await members.RU.get(`/api/documents/${id}`);
  await members.RU.get(`/api/documents/${id}/history`);
  await members.RU.get(`/api/documents/${id}/history?page=2&pageSize=5`);
  await members.RU.get(`/api/documents/${id}/revisions`);
  await members.RU.get(`/api/documents/${id}/revisions/1`);
  await members.RU.get(`/documents/${id}/revisions/1`);
  await members.RU.get('/');
}

/** A ballot that fails: the reasons of a disapproval become released comments, numbered after the delegation's last. */
export async function failedBallot({ heads }: Cast): Promise<void> {
  const { id } = await makeBallotDocument({ rule: 'unanimity' });
  await heads.BY.post(`/documents/${id}/ballot/vote`, { vote: 'disapprove', reasons: 'Не согласованы нормы точности.' });
  await heads.RU.post(`/documents/${id}/ballot/vote`, { vote: 'approve' });
  await testSystem().sweep(new Date());
  await drainNotices();
}

/** The work programme (docs/programme.md): the plan by each filter, its export, a document's targets changed, the weekly report. */
export async function programme({ secretariat: sec, members }: Cast, id: string): Promise<void> {
  await members.BY.get('/plan');
  await sec.get('/plan?productGroup=integrated-circuits');
  await sec.get('/plan?state=comment');
  await sec.get('/plan?productGroup=integrated-circuits&state=draft');
  await sec.get('/plan.xlsx?productGroup=integrated-circuits');
  await sec.get('/api/plan?state=comment');
  const doc = (await sec.get(`/api/documents/${id}`)).body as { rev: number };
  await sec.post(`/documents/${id}/targets`, { circulation: '2030-01-10', commentsEnd: '2030-03-10', ballot: '2030-05-10', publication: '2030-07-10', rev: String(doc.rev) });
  await sec.get('/');
  // A Monday morning far from the suite's others: the week's reports are this journey's.
  await sendLateReports({ notices: testSystem().notices }, new Date('2036-06-02T06:00:00Z'));
  await drainNotices();
}

/** What the server does besides answering requests: the scheduler's job records, and the start-up's migrations. */
export async function background(): Promise<void> {
  const scheduler = await startScheduler({ system: testSystem(), logger: pino({ level: 'silent' }), processEvery: '50 milliseconds', every: '1 second' });
  await new Promise((r) => setTimeout(r, 1500));
  await scheduler.stop();
  const db = mongoose.connection.db!;
  await runMigrations(db);
  for (const m of migrations) await m.up(db);
}
