import assert from 'node:assert/strict';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { ApiToken } from '../../server/auth/links-model.js';
import { hashSecret } from '../../server/auth/tokens.js';
import { signIn } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { makeUser } from '../helpers/factories.js';

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
