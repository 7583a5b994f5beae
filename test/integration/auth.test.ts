import assert from 'node:assert/strict';
import type { Express } from 'express';
import request from 'supertest';
import { mongoose } from '../../server/db/mongoose.js';
import { User } from '../../server/users/model.js';
import { StoredSession } from '../../server/auth/sessions-model.js';
import { anonymousAgent, csrfOf, signIn } from '../helpers/agent.js';
import { publicUrl, testApp } from '../helpers/app.js';
import { testEnv } from '../helpers/env.js';
import { clearRateLimits, makeUser, password } from '../helpers/factories.js';
import { linkIn } from '../helpers/smtp.js';

function sessionCookie(res: request.Response): string | undefined {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return cookies.find((c) => c.startsWith('accord.sid='))?.split(';')[0];
}

describe('signing in and out', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });
  beforeEach(clearRateLimits);

  it('knows the signed-in person from the session alone, and a new name reaches open sessions at once', async () => {
    const person = await makeUser('member', { delegation: 'BY', name: 'Ирина Ковалёва' });
    const session = await signIn(app, person);
    const queried: string[] = [];
    const watch = (collection: string) => queried.push(collection);
    mongoose.set('debug', watch);
    try {
      const me = await session.agent.get('/api/me').expect(200);
      assert.equal(me.body.name, 'Ирина Ковалёва');
    } finally {
      mongoose.set('debug', false);
    }
    assert.deepEqual(queried.filter((c) => c === 'users'), [], 'no read of the account behind the session');

    const admin = await signIn(app, await makeUser('administrator'));
    await admin.agent.post(`/admin/users/${person.id}`).type('form').send({ _csrf: admin.csrf, name: 'Ирина Ковалёва-Новик', role: 'member', delegation: 'BY' }).expect(303);
    const me = await session.agent.get('/api/me').expect(200);
    assert.equal(me.body.name, 'Ирина Ковалёва-Новик', 'the open session has the new name');
    assert.equal(me.body.role, 'member');
  });

  it('lets in a session saved before it kept the person only while the account still lets it in', async () => {
    const person = await makeUser('member', { delegation: 'BY', name: 'Ирина Ковалёва' });
    const session = await signIn(app, person);
    // What a session held before it kept a snapshot of the person: the id and the session version.
    const older = async (v: number) => StoredSession.collection.updateMany({ 'session.passport.user.id': person.id }, { $set: { 'session.passport.user': { id: person.id, v } } });
    const { sessionVersion } = (await User.findById(person.id).select({ sessionVersion: 1 }).lean<{ sessionVersion: number }>())!;
    await older(sessionVersion);
    const me = await session.agent.get('/api/me').expect(200);
    assert.deepEqual([me.body.name, me.body.role, me.body.delegation], ['Ирина Ковалёва', 'member', 'BY']);
    await older(sessionVersion - 1);
    await session.agent.get('/api/me').expect(401);
    await session.agent.get('/account').expect(303).expect('Location', '/sign-in?next=%2Faccount');
  });

  it('signs in with e-mail and password, in any letter case, and gives a new session id', async () => {
    const first = await makeUser('member', { delegation: 'BY' });
    const user = await makeUser('secretariat');
    const agent = request.agent(app);
    const page = await agent.get('/sign-in').expect(200);
    assert.equal(sessionCookie(page), undefined, 'an anonymous page view stores no session');
    const one = await agent.post('/sign-in').type('form').send({ _csrf: csrfOf(page.text), email: first.email, password }).expect(303);
    const before = sessionCookie(one);
    assert.ok(before, 'signing in starts a session');
    // Signing in as someone else from the same browser: the session id known before is replaced.
    const account = await request(app).get('/account').set('Cookie', before).expect(200);
    const res = await request(app).post('/sign-in').set('Cookie', before).type('form').send({ _csrf: csrfOf(account.text), email: user.email.toUpperCase(), password }).expect(303);
    const after = sessionCookie(res);
    assert.ok(after && after !== before, 'the session is regenerated on sign-in');
    const me = await request(app).get('/api/me').set('Cookie', after).expect(200);
    assert.equal(me.body.email, user.email);
    // the old session id is worth nothing now
    await request(app).get('/api/me').set('Cookie', before).expect(401);
  });

  it('returns to the page asked for, but never to another site', async () => {
    const user = await makeUser('administrator');
    const { agent, csrf } = await anonymousAgent(app);
    const res = await agent.post('/sign-in').type('form').send({ _csrf: csrf, email: user.email, password, next: '/admin/users' }).expect(303);
    assert.equal(res.headers.location, '/admin/users');
    const other = await anonymousAgent(app);
    const evil = await other.agent.post('/sign-in').type('form').send({ _csrf: other.csrf, email: user.email, password, next: '//evil.example/x' }).expect(303);
    assert.equal(evil.headers.location, '/');
  });

  it('sends an anonymous visitor of a private page to sign in and back', async () => {
    const res = await request(app).get('/account').expect(303);
    assert.equal(res.headers.location, '/sign-in?next=%2Faccount');
  });

  it('refuses a wrong password with a clear message and no session', async () => {
    const user = await makeUser('member', { delegation: 'BY' });
    const { agent, csrf } = await anonymousAgent(app);
    const res = await agent.post('/sign-in').type('form').send({ _csrf: csrf, email: user.email, password: 'not the password at all' }).expect(401);
    assert.match(res.text, /Неверный адрес электронной почты или пароль/);
    assert.match(res.text, new RegExp(`value="${user.email}"`));
    await agent.get('/api/me').expect(401);
  });

  it('signs out and ends the session', async () => {
    const user = await makeUser('manufacturer');
    const { agent, csrf } = await signIn(app, user);
    await agent.post('/sign-out').type('form').send({ _csrf: csrf }).expect(303);
    await agent.get('/api/me').expect(401);
  });

  it('changes the password and ends the other sessions of the person', async () => {
    const user = await makeUser('head', { delegation: 'RU' });
    const laptop = await signIn(app, user);
    const phone = await signIn(app, user);
    const wrong = await laptop.agent.post('/account/password').type('form').send({ _csrf: laptop.csrf, current: 'wrong current pw', password: 'brand new password 1', confirm: 'brand new password 1' }).expect(422);
    assert.match(wrong.text, /Текущий пароль указан неверно/);
    const ok = await laptop.agent.post('/account/password').type('form').send({ _csrf: laptop.csrf, current: password, password: 'brand new password 1', confirm: 'brand new password 1' }).expect(200);
    assert.match(ok.text, /Пароль изменён/);
    await laptop.agent.get('/api/me').expect(200);
    await phone.agent.get('/api/me').expect(401);
    await signIn(app, { email: user.email, password: 'brand new password 1' });
  });

  it('resets a forgotten password through a link sent by e-mail', async () => {
    const user = await makeUser('member', { delegation: 'RU' });
    const { agent, csrf } = await anonymousAgent(app);
    const sent = await agent.post('/password/forgot').type('form').send({ _csrf: csrf, email: user.email }).expect(200);
    assert.match(sent.text, /отправлено письмо/);
    const mail = await testEnv().smtp.waitFor(user.email, (m) => /Восстановление/.test(m.subject));
    const link = linkIn(mail, publicUrl).slice(publicUrl.length);
    const form = await agent.get(link).expect(200);
    await agent.post(link).type('form').send({ _csrf: csrfOf(form.text), password: 'a fresh password 2026', confirm: 'a fresh password 2026' }).expect(200);
    await signIn(app, { email: user.email, password: 'a fresh password 2026' });
    await agent.get(link).expect(410);
  });

  it('answers a reset request for an unknown address exactly as for a known one, sending nothing', async () => {
    const { agent, csrf } = await anonymousAgent(app);
    const address = 'nobody.here@example.org';
    const res = await agent.post('/password/forgot').type('form').send({ _csrf: csrf, email: address }).expect(200);
    assert.match(res.text, /Если адрес nobody.here@example.org принадлежит учётной записи/);
    // A reset link is sent before the answer (server/auth/routes.ts), so by now anything sent has arrived.
    assert.equal(testEnv().smtp.countTo(address), 0);
  });

  it('records the time of the last sign-in', async () => {
    const user = await makeUser('secretariat');
    await signIn(app, user);
    const stored = await User.findById(user.id).select({ lastSignInAt: 1 }).lean();
    assert.ok(stored?.lastSignInAt instanceof Date);
  });
});
