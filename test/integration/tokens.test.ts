import assert from 'node:assert/strict';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { ApiToken } from '../../server/auth/links-model.js';
import { hashSecret } from '../../server/auth/tokens.js';
import { Comment } from '../../server/comments/model.js';
import { signIn, tokenFor } from '../helpers/agent.js';
import { roundOfComments, writeComment, type Round } from '../helpers/comments.js';
import { binary } from '../helpers/publishing.js';
import { testApp } from '../helpers/app.js';
import { makeUser, password } from '../helpers/factories.js';
import { anonymousAgent, csrfOf } from '../helpers/agent.js';
import { testEnv } from '../helpers/env.js';
import { linkIn } from '../helpers/smtp.js';
import { publicUrl } from '../helpers/app.js';

describe('personal API tokens', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });

  it('shows a new token once, stores only its hash, and lets it call the API', async () => {
    const user = await makeUser('member', { delegation: 'BY' });
    const { agent, csrf } = await signIn(app, user);
    const created = await agent.post('/account/tokens').type('form').send({ _csrf: csrf, name: 'Quality system' }).expect(201);
    const secret = cheerio.load(created.text)('[data-test=new-token] code').text().trim();
    assert.match(secret, /^acc_[\w-]{40,}$/);
    const stored = await ApiToken.findOne({ user: user.id }).select({ tokenHash: 1, name: 1 }).lean();
    assert.equal(stored?.tokenHash, hashSecret(secret));
    assert.ok(!JSON.stringify(stored).includes(secret));

    const me = await request(app).get('/api/me').set('Authorization', `Bearer ${secret}`).expect(200);
    assert.deepEqual({ email: me.body.email, role: me.body.role, delegation: me.body.delegation }, { email: user.email, role: 'member', delegation: 'BY' });

    const page = await agent.get('/account').expect(200);
    assert.ok(!page.text.includes(secret), 'the secret is never shown again');
    const list = await agent.get('/api/tokens').expect(200);
    assert.equal(list.body.tokens.length, 1);
    assert.ok(list.body.tokens[0].lastUsedAt, 'the last use is recorded');
  });

  it('stops working once revoked', async () => {
    const user = await makeUser('secretariat');
    const { agent, csrf } = await signIn(app, user);
    const created = await agent.post('/account/tokens').type('form').send({ _csrf: csrf, name: 'script' }).expect(201);
    const secret = cheerio.load(created.text)('[data-test=new-token] code').text().trim();
    const id = (await agent.get('/api/tokens')).body.tokens[0].id;
    await agent.post(`/account/tokens/${id}/revoke`).type('form').send({ _csrf: csrf }).expect(303);
    const res = await request(app).get('/api/me').set('Authorization', `Bearer ${secret}`).expect(401);
    assert.match(res.body.error.message, /недействителен или отозван/);
  });

  it("cannot revoke someone else's token", async () => {
    const owner = await makeUser('member', { delegation: 'RU' });
    const other = await makeUser('member', { delegation: 'BY' });
    const ownerSession = await signIn(app, owner);
    await ownerSession.agent.post('/account/tokens').type('form').send({ _csrf: ownerSession.csrf, name: 'mine' }).expect(201);
    const id = (await ownerSession.agent.get('/api/tokens')).body.tokens[0].id;
    const { agent, csrf } = await signIn(app, other);
    await agent.post(`/account/tokens/${id}/revoke`).type('form').send({ _csrf: csrf }).expect(404);
    const still = await ApiToken.findById(id).select({ revokedAt: 1 }).lean();
    assert.equal(still?.revokedAt, null);
  });

  it('does not need a CSRF token, since browsers never send it by themselves', async () => {
    const user = await makeUser('administrator');
    const { agent, csrf } = await signIn(app, user);
    const created = await agent.post('/account/tokens').type('form').send({ _csrf: csrf, name: 'admin script' }).expect(201);
    const secret = cheerio.load(created.text)('[data-test=new-token] code').text().trim();
    const users = await request(app).get('/api/users').set('Authorization', `Bearer ${secret}`).expect(200);
    assert.ok(users.body.users.some((u: { email: string }) => u.email === user.email));
  });
});

describe('tokens end with the password and the account', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });
  const newToken = async (agent: Awaited<ReturnType<typeof signIn>>['agent'], csrf: string, name: string) =>
    cheerio.load((await agent.post('/account/tokens').type('form').send({ _csrf: csrf, name }).expect(201)).text)('[data-test=new-token] code').text().trim();
  const works = async (secret: string) => (await request(app).get('/api/me').set('Authorization', `Bearer ${secret}`)).status === 200;

  it('revokes every token of a person who resets a forgotten password, and says so', async () => {
    const user = await makeUser('member', { delegation: 'RU' });
    const { agent, csrf } = await signIn(app, user);
    const tokens = [await newToken(agent, csrf, 'one'), await newToken(agent, csrf, 'two')];
    assert.ok(await works(tokens[0]!));

    const anon = await anonymousAgent(app);
    await anon.agent.post('/password/forgot').type('form').send({ _csrf: anon.csrf, email: user.email }).expect(200);
    const link = linkIn(await testEnv().smtp.waitFor(user.email, (m) => /Восстановление/.test(m.subject)), publicUrl).slice(publicUrl.length);
    const form = await anon.agent.get(link).expect(200);
    const done = await anon.agent.post(link).type('form').send({ _csrf: csrfOf(form.text), password: 'a fresh password 2026', confirm: 'a fresh password 2026' }).expect(200);
    assert.match(cheerio.load(done.text)('[data-test=tokens-revoked]').text(), /Отозваны 2 API-токена/);
    for (const t of tokens) assert.equal(await works(t), false);
  });

  it('revokes the tokens on a change of password, and says so on the account page', async () => {
    const user = await makeUser('secretariat');
    const { agent, csrf } = await signIn(app, user);
    const token = await newToken(agent, csrf, 'script');
    const res = await agent.post('/account/password').type('form').send({ _csrf: csrf, current: password, password: 'brand new password 1', confirm: 'brand new password 1' }).expect(200);
    assert.match(cheerio.load(res.text)('[data-test=tokens-revoked]').text(), /Отозван 1 API-токен/);
    assert.equal(await works(token), false);
  });

  it('revokes the tokens of a deactivated person for good: reactivation brings none back', async () => {
    const user = await makeUser('manufacturer');
    const { agent, csrf } = await signIn(app, user);
    const token = await newToken(agent, csrf, 'erp');
    const admin = await signIn(app, await makeUser('administrator'));
    await admin.agent.post(`/admin/users/${user.id}/deactivate`).type('form').send({ _csrf: admin.csrf }).expect(303);
    assert.equal(await works(token), false);
    await admin.agent.post(`/admin/users/${user.id}/activate`).type('form').send({ _csrf: admin.csrf }).expect(303);
    assert.equal(await works(token), false);
    const stored = await ApiToken.findOne({ user: user.id }).select({ revokedAt: 1 }).lean();
    assert.ok(stored?.revokedAt, 'the token is recorded as revoked');
  });
});

describe('a personal token works wherever its owner\'s session would', function () {
  this.timeout(60_000);
  let app: Express;
  let round: Round;
  let memberToken: string;
  before(async () => {
    app = testApp();
    round = await roundOfComments();
    await writeComment(round.id, round.members.BY, { clauseKey: 'scope' });
    memberToken = await tokenFor(round.members.BY);
  });
  const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });

  it('downloads the summary exports and a draft PDF, and reads committee pages', async () => {
    for (const [path, type] of [
      [`/documents/${round.id}/comments/export.csv`, /^text\/csv/],
      [`/documents/${round.id}/comments/export.xlsx`, /spreadsheetml/],
      [`/documents/${round.id}/comments/export.pdf`, /^application\/pdf/],
      [`/documents/${round.id}/revisions/1/pdf`, /^application\/pdf/],
      [`/documents/${round.id}/comments`, /^text\/html/],
    ] as const) {
      const res = await request(app).get(path).set(bearer(memberToken)).buffer(true).parse(binary);
      assert.equal(res.status, 200, path);
      assert.match(res.headers['content-type']!, type, path);
    }
  });

  it('posts a form without a CSRF token when no session cookie comes with it', async () => {
    await request(app).post(`/documents/${round.id}/comments`).set(bearer(memberToken)).type('form').send({ clauseKey: 'scope', type: 'ed', text: 'Через токен.' }).expect(303);
    const stored = await Comment.findOne({ document: round.id, text: 'Через токен.' }).select({ author: 1 }).lean();
    assert.equal(String(stored?.author), round.members.BY.id);
  });

  it('still wants the CSRF token when the browser\'s session cookie comes along', async () => {
    const { agent } = await signIn(app, round.members.RU);
    await agent.post(`/documents/${round.id}/comments`).set(bearer(memberToken)).type('form').send({ clauseKey: 'scope', type: 'ed', text: 'Без CSRF.' }).expect(403);
    assert.equal(await Comment.countDocuments({ document: round.id, text: 'Без CSRF.' }), 0);
  });

  it('refuses a bad token with 401 and a Bearer challenge, on pages and in the API', async () => {
    for (const path of ['/api/me', `/documents/${round.id}/comments/export.csv`, `/documents/${round.id}/revisions/1/pdf`, '/catalogue']) {
      const res = await request(app).get(path).set(bearer('acc_not-a-real-token'));
      assert.equal(res.status, 401, path);
      assert.equal(res.headers['www-authenticate'], 'Bearer error="invalid_token"', path);
    }
    const anonymous = await request(app).get('/api/me').expect(401);
    assert.equal(anonymous.headers['www-authenticate'], 'Bearer');
  });
});

describe('a page with many forms, read with a token', () => {
  it('sets one CSRF cookie, not one per form', async () => {
    const app = testApp();
    const admin = await makeUser('administrator');
    for (let i = 0; i < 5; i++) await makeUser('member', { delegation: 'RU' });
    const res = await request(app).get('/admin/users').set('Authorization', `Bearer ${await tokenFor(admin)}`).expect(200);
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    assert.ok(cookies.length <= 1, `${cookies.length} Set-Cookie headers`);
  });
});
