import assert from 'node:assert/strict';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { mongoose } from '../../server/db/mongoose.js';
import { ApiToken, OneTimeLink } from '../../server/auth/links-model.js';
import { sessionCollection } from '../../server/auth/sessions.js';
import { newSecret } from '../../server/auth/tokens.js';
import { Delegation } from '../../server/delegations/model.js';
import { registeredRoutes } from '../../server/http/route-table.js';
import { User } from '../../server/users/model.js';
import { anonymousAgent, csrfOf, signIn, tokenFor, type Agent } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { testEnv } from '../helpers/env.js';
import { clearRateLimits, delegationId, makeUser, password, uniqueEmail, type MadeUser } from '../helpers/factories.js';

/** What bad input must never change; sessions and rate-limit counters are checked where they matter. */
const watched = () => [User, Delegation, OneTimeLink, ApiToken].map((m) => m.collection);

async function snapshot(): Promise<unknown> {
  const all = await Promise.all(watched().map(async (c) => [c.collectionName, await c.find({}).sort({ _id: 1 }).toArray()] as const));
  // Through JSON, so that ids and dates compare by value.
  return JSON.parse(JSON.stringify(Object.fromEntries(all)));
}

async function assertUnchanged(before: unknown): Promise<void> {
  assert.deepEqual(await snapshot(), before, 'the database changed');
}

/** The messages a page shows: the alert above a form, the notes beside its fields, an error page's text. */
function messagesOn(html: string): string {
  const $ = cheerio.load(html);
  return [$('.alert').text(), $('small.error').text(), $('main, body').first().find('p').text()].join(' ').replace(/\s+/g, ' ');
}

function fieldError(html: string, field: string): string {
  return cheerio.load(html)(`[name="${field}"]`).closest('label').find('small.error').text().trim();
}

async function makeLink(kind: 'invitation' | 'reset', userId: string, opts: { expired?: boolean } = {}): Promise<string> {
  const { secret, hash } = newSecret();
  const expiresAt = new Date(Date.now() + (opts.expired ? -60_000 : 3600_000));
  await OneTimeLink.create({ kind, user: userId, tokenHash: hash, expiresAt });
  return kind === 'reset' ? `/password/reset/${secret}` : `/invitations/${secret}`;
}

async function sessionsOf(userId: string): Promise<number> {
  return mongoose.connection.collection(sessionCollection).countDocuments({ 'session.passport.user.id': userId });
}

async function rateLimitEntries(): Promise<number> {
  return mongoose.connection.collection('ratelimits').countDocuments({});
}

async function isSignedIn(agent: Agent): Promise<boolean> {
  return (await agent.get('/api/me')).status === 200;
}

const newPassword = 'a sound new password 7';

describe('bad input', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });
  beforeEach(clearRateLimits);

  describe('operator injection', () => {
    it('refuses email[$gt]= in the sign-in form with a message, and signs nobody in', async () => {
      const user = await makeUser('member', { delegation: 'BY' });
      const { agent, csrf } = await anonymousAgent(app);
      const before = await snapshot();
      const res = await agent.post('/sign-in').type('form').send({ _csrf: csrf, 'email[$gt]': '', password }).expect(422);
      assert.match(messagesOn(res.text), /неизвестные поля: email\[\$gt\]/);
      assert.equal(fieldError(res.text, 'email'), 'Заполните это поле.');
      assert.equal(await isSignedIn(agent), false);
      assert.equal(await sessionsOf(user.id), 0);
      assert.equal(await rateLimitEntries(), 0, 'a refused form is not a sign-in attempt');
      await assertUnchanged(before);
    });

    it('refuses {"email":{"$ne":null}} sent as JSON to sign-in with a message, and signs nobody in', async () => {
      const user = await makeUser('administrator');
      const { agent, csrf } = await anonymousAgent(app);
      const before = await snapshot();
      const res = await agent.post('/sign-in').send({ _csrf: csrf, email: { $ne: null }, password: { $ne: null } }).expect(422);
      assert.equal(fieldError(res.text, 'email'), 'Ожидается текст.');
      assert.equal(fieldError(res.text, 'password'), 'Ожидается текст.');
      assert.equal(await isSignedIn(agent), false);
      assert.equal(await sessionsOf(user.id), 0);
      assert.equal(await rateLimitEntries(), 0);
      await assertUnchanged(before);
    });

    interface Form {
      name: string;
      /** Makes what the form needs and returns the agent that posts it, its CSRF token and the URL. */
      open(): Promise<{ agent: Agent; csrf: string; url: string }>;
      valid(): Record<string, string>;
      field: string;
    }
    const asAdmin = async (url: string) => ({ ...(await signIn(app, await makeUser('administrator'))), url });
    const asMember = async (url: string) => ({ ...(await signIn(app, await makeUser('member', { delegation: 'RU' }))), url });
    const forms: Form[] = [
      {
        name: 'forgotten-password',
        open: async () => ({ ...(await anonymousAgent(app)), url: '/password/forgot' }),
        valid: () => ({ email: 'someone@example.org' }),
        field: 'email',
      },
      {
        name: 'password-reset',
        open: async () => {
          const url = await makeLink('reset', (await makeUser('secretariat')).id);
          const { agent } = await anonymousAgent(app);
          return { agent, csrf: csrfOf((await agent.get(url).expect(200)).text), url };
        },
        valid: () => ({ password: newPassword, confirm: newPassword }),
        field: 'password',
      },
      {
        name: 'invitation',
        open: async () => {
          const url = await makeLink('invitation', (await makeUser('head', { delegation: 'BY', invited: true })).id);
          const { agent } = await anonymousAgent(app);
          return { agent, csrf: csrfOf((await agent.get(url).expect(200)).text), url };
        },
        valid: () => ({ password: newPassword, confirm: newPassword }),
        field: 'confirm',
      },
      { name: 'password-change', open: () => asMember('/account/password'), valid: () => ({ current: password, password: newPassword, confirm: newPassword }), field: 'current' },
      { name: 'new API token', open: () => asMember('/account/tokens'), valid: () => ({ name: 'script' }), field: 'name' },
      { name: 'invitation (administrator)', open: () => asAdmin('/admin/users'), valid: () => ({ email: uniqueEmail(), name: 'Новый член', role: 'member', delegation: 'BY' }), field: 'email' },
      {
        name: 'person',
        open: async () => asAdmin(`/admin/users/${(await makeUser('member', { delegation: 'BY' })).id}`),
        valid: () => ({ name: 'Переименованный', role: 'head', delegation: 'BY' }),
        field: 'name',
      },
      { name: 'new delegation', open: () => asAdmin('/admin/delegations'), valid: () => ({ code: 'KZ', nameRu: 'Казахстан', nameEn: 'Kazakhstan' }), field: 'code' },
      {
        name: 'delegation',
        open: async () => asAdmin(`/admin/delegations/${await delegationId('RU')}`),
        valid: () => ({ nameRu: 'Россия', nameEn: 'Russia', active: 'on' }),
        field: 'nameRu',
      },
    ];

    for (const form of forms) {
      it(`refuses operator injection in the ${form.name} form, as ${form.field}[$gt]= and as JSON, changing nothing`, async () => {
        const { agent, csrf, url } = await form.open();
        const before = await snapshot();
        const { [form.field]: _omitted, ...others } = form.valid();
        void _omitted;

        const urlencoded = await agent.post(url).type('form').send({ _csrf: csrf, ...others, [`${form.field}[$gt]`]: '' });
        assert.equal(urlencoded.status, 422, `${url} as a form: ${urlencoded.status}`);
        assert.match(messagesOn(urlencoded.text), new RegExp(`неизвестные поля: ${form.field}\\[\\$gt\\]`));
        assert.equal(fieldError(urlencoded.text, form.field), 'Заполните это поле.');

        const json = await agent.post(url).send({ _csrf: csrf, ...form.valid(), [form.field]: { $ne: null } });
        assert.equal(json.status, 422, `${url} as JSON: ${json.status}`);
        assert.equal(fieldError(json.text, form.field), 'Ожидается текст.');

        await assertUnchanged(before);
      });
    }
  });

  describe('unknown fields', () => {
    it('refuses an unknown field in a form, naming it, and creates nobody', async () => {
      const { agent, csrf } = await signIn(app, await makeUser('administrator'));
      const email = uniqueEmail('member');
      const before = await snapshot();
      const res = await agent
        .post('/admin/users')
        .type('form')
        .send({ _csrf: csrf, email, name: 'Самозванец', role: 'member', delegation: 'BY', passwordHash: 'x', sessionVersion: '0' })
        .expect(422);
      assert.match(messagesOn(res.text), /неизвестные поля: passwordHash, sessionVersion/);
      assert.match(res.text, /value="Самозванец"/, 'what was typed is kept');
      assert.equal(await User.countDocuments({ email }), 0);
      await assertUnchanged(before);
    });

    it('refuses an unknown field in the sign-in form even with the right password', async () => {
      const user = await makeUser('manufacturer');
      const { agent, csrf } = await anonymousAgent(app);
      const before = await snapshot();
      const res = await agent.post('/sign-in').send({ _csrf: csrf, email: user.email, password, role: 'administrator' }).expect(422);
      assert.match(messagesOn(res.text), /неизвестные поля: role/);
      assert.equal(await isSignedIn(agent), false);
      await assertUnchanged(before);
    });
  });

  describe('e-mail addresses and passwords', () => {
    it('refuses a duplicate e-mail in any letter case, creating nobody and sending nothing', async () => {
      const existing = await makeUser('secretariat');
      const { agent, csrf } = await signIn(app, await makeUser('administrator'));
      const before = await snapshot();
      const mails = testEnv().smtp.countTo(existing.email);
      for (const email of [existing.email.toUpperCase(), `  ${existing.email[0]!.toUpperCase()}${existing.email.slice(1)} `]) {
        const res = await agent.post('/admin/users').type('form').send({ _csrf: csrf, email, name: 'Двойник', role: 'manufacturer' }).expect(422);
        assert.equal(fieldError(res.text, 'email'), 'Пользователь с таким адресом уже есть.');
      }
      assert.equal(await User.countDocuments({ email: existing.email }), 1);
      assert.equal(testEnv().smtp.countTo(existing.email), mails);
      await assertUnchanged(before);
    });

    it('refuses a short or common new password on a reset link, which stays usable', async () => {
      const user = await makeUser('head', { delegation: 'RU' });
      const url = await makeLink('reset', user.id);
      const { agent } = await anonymousAgent(app);
      const csrf = csrfOf((await agent.get(url).expect(200)).text);
      const before = await snapshot();
      const short = await agent.post(url).type('form').send({ _csrf: csrf, password: 'elevenchars', confirm: 'elevenchars' }).expect(422);
      assert.equal(fieldError(short.text, 'password'), 'Пароль должен быть не короче 12 символов.');
      const common = await agent.post(url).type('form').send({ _csrf: csrf, password: 'qwerty123456', confirm: 'qwerty123456' }).expect(422);
      assert.equal(fieldError(common.text, 'password'), 'Этот пароль слишком распространён — выберите другой.');
      await assertUnchanged(before);
      await agent.post(url).type('form').send({ _csrf: csrf, password: newPassword, confirm: newPassword }).expect(200);
    });

    it('refuses a short or common new password when changing it, and keeps the session', async () => {
      const user = await makeUser('member', { delegation: 'BY' });
      const { agent, csrf } = await signIn(app, user);
      const before = await snapshot();
      for (const [pw, message] of [
        ['short pw 11', 'Пароль должен быть не короче 12 символов.'],
        ['password1234', 'Этот пароль слишком распространён — выберите другой.'],
      ] as const) {
        const res = await agent.post('/account/password').type('form').send({ _csrf: csrf, current: password, password: pw, confirm: pw }).expect(422);
        assert.equal(fieldError(res.text, 'password'), message);
      }
      assert.equal(await isSignedIn(agent), true);
      await assertUnchanged(before);
    });

    it('refuses bad input on the first-administrator set-up and creates nobody', async () => {
      // Set-up exists only while there are no users: empty the collection for this test alone and put
      // every person back afterwards, so that no other test finds it empty.
      const saved = await User.collection.find({}).toArray();
      await User.deleteMany({});
      try {
        const agent = request.agent(app);
        const csrf = csrfOf((await agent.get('/setup').expect(200)).text);
        const good = { name: 'Первый администратор', email: uniqueEmail('admin'), password: newPassword, confirm: newPassword };
        const tries: [string, Record<string, unknown>, (html: string) => void][] = [
          ['email[$gt]=', { name: good.name, 'email[$gt]': '', password: newPassword, confirm: newPassword }, (h) => assert.match(messagesOn(h), /неизвестные поля: email\[\$gt\]/)],
          ['JSON operator', { ...good, email: { $ne: null } }, (h) => assert.equal(fieldError(h, 'email'), 'Ожидается текст.')],
          ['unknown field', { ...good, role: 'secretariat' }, (h) => assert.match(messagesOn(h), /неизвестные поля: role/)],
          ['short password', { ...good, password: 'short pass', confirm: 'short pass' }, (h) => assert.equal(fieldError(h, 'password'), 'Пароль должен быть не короче 12 символов.')],
          ['common password', { ...good, password: 'qwertyuiop12', confirm: 'qwertyuiop12' }, (h) => assert.equal(fieldError(h, 'password'), 'Этот пароль слишком распространён — выберите другой.')],
        ];
        for (const [what, body, check] of tries) {
          const req = agent.post('/setup');
          const res = await (what === 'email[$gt]=' ? req.type('form') : req).send({ _csrf: csrf, ...body });
          assert.equal(res.status, 422, `${what}: ${res.status}`);
          check(res.text);
          assert.equal(await User.countDocuments({}), 0, `${what} created someone`);
        }
      } finally {
        await User.deleteMany({});
        if (saved.length > 0) await User.collection.insertMany(saved);
      }
    });
  });

  describe('request bodies', () => {
    const overOneMegabyte = 'x'.repeat(1024 * 1024 + 10);

    it('answers a form body over 1 MB with 413 and a message, changing nothing', async () => {
      const { agent, csrf } = await signIn(app, await makeUser('administrator'));
      const before = await snapshot();
      const res = await agent.post('/admin/users').type('form').send({ _csrf: csrf, email: uniqueEmail(), name: overOneMegabyte, role: 'manufacturer' }).expect(413);
      assert.match(messagesOn(res.text), /не более 1 МБ/);
      await assertUnchanged(before);
    });

    it('answers an API body over 1 MB with 413 in JSON', async () => {
      const token = await tokenFor(await makeUser('secretariat'));
      const before = await snapshot();
      const res = await request(app).post('/api/tokens').set('Authorization', `Bearer ${token}`).send({ name: overOneMegabyte }).expect(413);
      assert.match(res.type, /json/);
      assert.match(res.body.error.message, /не более 1 МБ/);
      await assertUnchanged(before);
    });

    it('answers malformed JSON with 400 in JSON', async () => {
      const token = await tokenFor(await makeUser('member', { delegation: 'RU' }));
      const before = await snapshot();
      const api = await request(app).post('/api/tokens').set('Authorization', `Bearer ${token}`).type('json').send('{"name": "unterminated').expect(400);
      assert.match(api.type, /json/);
      assert.equal(api.body.error.message, 'Тело запроса — не корректный JSON.');
      // A page asked for JSON answers the same way.
      const { agent, csrf } = await anonymousAgent(app);
      const page = await agent.post('/sign-in').set('Accept', 'application/json').set('X-CSRF-Token', csrf).type('json').send('{"email":').expect(400);
      assert.equal(page.body.error.message, 'Тело запроса — не корректный JSON.');
      await assertUnchanged(before);
    });
  });

  describe('URLs', () => {
    it('answers 404 with a message, never 500, to an invalid ObjectId in every route with an :id', async function () {
      this.timeout(60_000);
      // Each route is tried by a caller its guard lets through (a guard may rightly answer 403 first).
      const callers = await Promise.all(
        ([['administrator'], ['secretariat'], ['head', 'BY'], ['member', 'RU'], ['manufacturer']] as const).map(async ([role, d]) => ({
          role,
          ...(await signIn(app, await makeUser(role, { delegation: d }))),
        })),
      );
      const withId = registeredRoutes(app).filter((r) => /:id(\/|$)/.test(r.path));
      assert.ok(withId.length >= 8, `routes with an :id: ${withId.length}`);
      const badIds = ['not-an-id', '123', 'zzzzzzzzzzzzzzzzzzzzzzzz', '65f0c0ffee00000000000000', '{"$gt":""}', 'ЖЖЖЖЖЖЖЖЖЖЖЖ'];
      const before = await snapshot();
      const wrong: string[] = [];
      for (const r of withId) {
        const send = (c: (typeof callers)[number], id: string) => {
          // Other parameters get a plain value: what is tried here is the :id.
          const url = r.path.replace(/:id(?=\/|$)/, encodeURIComponent(id)).replace(/:\w+/g, '1');
          const m = r.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete';
          return m === 'get' ? c.agent.get(url) : c.agent[m](url).set('X-CSRF-Token', c.csrf).type('form').send({});
        };
        const answers = await Promise.all(callers.map(async (c) => ({ c, res: await send(c, badIds[0]!) })));
        for (const { c, res } of answers) if (res.status >= 500) wrong.push(`${r.method} ${r.path} as ${c.role}: ${res.status}`);
        const allowed = answers.find(({ res }) => res.status !== 403)?.c;
        if (!allowed) {
          wrong.push(`${r.method} ${r.path}: every caller got 403, so the :id is never looked at`);
          continue;
        }
        for (const id of badIds) {
          const res = await send(allowed, id);
          const message = res.type === 'application/json' ? String(res.body?.error?.message) : messagesOn(res.text);
          if (res.status !== 404 || !/не найден/.test(message)) wrong.push(`${r.method} ${r.path} as ${allowed.role} with ${JSON.stringify(id)}: ${res.status} ${message.slice(0, 80)}`);
        }
      }
      assert.deepEqual(wrong, []);
      await assertUnchanged(before);
    });
  });

  describe('CSRF', () => {
    it('refuses a form posted without a CSRF token or with a wrong one with 403 and a message, changing nothing', async () => {
      const { agent } = await signIn(app, await makeUser('administrator'));
      const other = await signIn(app, await makeUser('administrator'));
      const email = uniqueEmail();
      const fields = { email, name: 'Без токена', role: 'manufacturer' };
      const before = await snapshot();
      for (const [what, token] of [
        ['none', undefined],
        ['made up', 'not-a-token'],
        ['from another session', other.csrf],
      ] as const) {
        const res = await agent.post('/admin/users').type('form').send(token === undefined ? fields : { ...fields, _csrf: token });
        assert.equal(res.status, 403, `${what}: ${res.status}`);
        assert.match(messagesOn(res.text), /Форма устарела/);
      }
      assert.equal(await User.countDocuments({ email }), 0);
      await assertUnchanged(before);
    });

    it('refuses a sign-in without a CSRF token, signing nobody in', async () => {
      const user = await makeUser('member', { delegation: 'BY' });
      const { agent } = await anonymousAgent(app);
      const before = await snapshot();
      const res = await agent.post('/sign-in').type('form').send({ email: user.email, password }).expect(403);
      assert.match(messagesOn(res.text), /Обновите страницу/);
      assert.equal(await isSignedIn(agent), false);
      await assertUnchanged(before);
    });
  });

  describe('one-time links', () => {
    for (const kind of ['invitation', 'reset'] as const) {
      it(`refuses a reused ${kind} link with 410 and a message, changing nothing`, async () => {
        const user = await makeUser('member', { delegation: 'RU', invited: kind === 'invitation' });
        const url = await makeLink(kind, user.id);
        const { agent } = await anonymousAgent(app);
        const csrf = csrfOf((await agent.get(url).expect(200)).text);
        await agent.post(url).type('form').send({ _csrf: csrf, password: newPassword, confirm: newPassword }).expect(200);
        const before = await snapshot();
        const again = await agent.post(url).type('form').send({ _csrf: csrf, password: 'another new password 8', confirm: 'another new password 8' }).expect(410);
        assert.match(messagesOn(again.text), /уже использована/);
        const look = await agent.get(url).expect(410);
        assert.match(messagesOn(look.text), /уже использована/);
        // Even with fields that would be refused, the dead link is what the person is told about.
        const empty = await agent.post(url).type('form').send({ _csrf: csrf }).expect(410);
        assert.match(messagesOn(empty.text), /уже использована/);
        await assertUnchanged(before);
      });

      it(`refuses an expired ${kind} link with 410 and a message, changing nothing`, async () => {
        const user = await makeUser('head', { delegation: 'BY', invited: kind === 'invitation' });
        const url = await makeLink(kind, user.id, { expired: true });
        const { agent, csrf } = await anonymousAgent(app);
        const before = await snapshot();
        const look = await agent.get(url).expect(410);
        assert.match(messagesOn(look.text), /истёк/);
        const res = await agent.post(url).type('form').send({ _csrf: csrf, password: newPassword, confirm: newPassword }).expect(410);
        assert.match(messagesOn(res.text), /истёк/);
        await assertUnchanged(before);
      });
    }
  });

  describe('tokens and accounts', () => {
    it('refuses a revoked API token with 401 in JSON, changing nothing', async () => {
      const user = await makeUser('secretariat');
      const token = await tokenFor(user);
      await request(app).get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);
      const { agent, csrf } = await signIn(app, user);
      const id = (await ApiToken.findOne({ user: user.id }).select({ _id: 1 }).lean())!._id;
      await agent.post(`/account/tokens/${id}/revoke`).type('form').send({ _csrf: csrf }).expect(303);
      const before = await snapshot();
      for (const path of ['/api/me', '/api/tokens', '/api/delegations']) {
        const res = await request(app).get(path).set('Authorization', `Bearer ${token}`).expect(401);
        assert.match(res.type, /json/);
        assert.equal(res.body.error.message, 'API-токен недействителен или отозван.');
      }
      await assertUnchanged(before);
    });

    it('ends a deactivated person’s open session at once, and refuses their sign-in and their API token', async () => {
      const person: MadeUser = await makeUser('head', { delegation: 'RU' });
      const session = await signIn(app, person);
      const token = await tokenFor(person);
      assert.equal(await isSignedIn(session.agent), true);

      const admin = await signIn(app, await makeUser('administrator'));
      await admin.agent.post(`/admin/users/${person.id}/deactivate`).type('form').send({ _csrf: admin.csrf }).expect(303);
      assert.equal(await sessionsOf(person.id), 0, 'the session is ended by the deactivation itself');
      const before = await snapshot();

      const page = await session.agent.get('/account').expect(303);
      assert.match(String(page.headers.location), /^\/sign-in/);
      assert.equal(await isSignedIn(session.agent), false);
      assert.equal(await sessionsOf(person.id), 0);

      const api = await request(app).get('/api/me').set('Authorization', `Bearer ${token}`).expect(401);
      assert.equal(api.body.error.message, 'API-токен недействителен или отозван.');

      const { agent, csrf } = await anonymousAgent(app);
      const res = await agent.post('/sign-in').type('form').send({ _csrf: csrf, email: person.email, password }).expect(401);
      assert.match(messagesOn(res.text), /Учётная запись отключена/);
      assert.equal(await isSignedIn(agent), false);
      assert.equal(await sessionsOf(person.id), 0);
      await assertUnchanged(before);
    });
  });

  describe('sign-in rate limit', () => {
    after(clearRateLimits);
    it('answers the 6th sign-in after 5 failures for one account with 429 and when to retry, even with the right password', async () => {
      const user = await makeUser('manufacturer');
      const { agent, csrf } = await anonymousAgent(app);
      const before = await snapshot();
      for (let i = 1; i <= 5; i++) {
        await agent.post('/sign-in').type('form').send({ _csrf: csrf, email: user.email, password: `wrong password ${i}` }).expect(401);
      }
      const res = await agent.post('/sign-in').type('form').send({ _csrf: csrf, email: user.email.toUpperCase(), password }).expect(429);
      assert.match(messagesOn(res.text), /Слишком много неудачных попыток входа\. Повторите через 15 минут\./);
      assert.ok(Number(res.headers['retry-after']) > 14 * 60, `Retry-After: ${res.headers['retry-after']}`);
      assert.equal(await isSignedIn(agent), false);
      assert.equal(await sessionsOf(user.id), 0);
      await assertUnchanged(before);
    });

    it('checks at most 5 of 40 wrong passwords sent at once, and refuses the right one straight after', async () => {
      const user = await makeUser('manufacturer');
      const { agent, csrf } = await anonymousAgent(app);
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) => agent.post('/sign-in').type('form').send({ _csrf: csrf, email: user.email, password: `wrong password ${i}` })),
      );
      const statuses = answers.map((r) => r.status);
      // 401 means the password was checked and found wrong; 429 means it was not checked at all.
      assert.ok(statuses.every((s) => s === 401 || s === 429), `statuses: ${statuses}`);
      assert.ok(statuses.filter((s) => s === 401).length <= 5, `passwords checked: ${statuses.filter((s) => s === 401).length}`);
      await agent.post('/sign-in').type('form').send({ _csrf: csrf, email: user.email, password }).expect(429);
      assert.equal(await isSignedIn(agent), false);
    });

    it('lets a person who signs in after some wrong guesses start afresh', async () => {
      const user = await makeUser('manufacturer');
      const { agent, csrf } = await anonymousAgent(app);
      for (let i = 1; i <= 4; i++) await agent.post('/sign-in').type('form').send({ _csrf: csrf, email: user.email, password: `wrong ${i}` }).expect(401);
      await agent.post('/sign-in').type('form').send({ _csrf: csrf, email: user.email, password }).expect(303);
      const again = await anonymousAgent(app);
      for (let i = 1; i <= 4; i++) await again.agent.post('/sign-in').type('form').send({ _csrf: again.csrf, email: user.email, password: `wrong ${i}` }).expect(401);
    });
  });
});
