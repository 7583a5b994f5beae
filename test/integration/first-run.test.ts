import assert from 'node:assert/strict';
import type { Express } from 'express';
import request from 'supertest';
import { User } from '../../server/users/model.js';
import { createFirstAdministrator } from '../../server/users/service.js';
import { anonymousAgent, csrfOf } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { uniqueEmail } from '../helpers/factories.js';

// These tests need an installation without users, so each starts by emptying the users collection;
// other files make their own users and do not depend on those of this file.
describe('first run', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });
  beforeEach(async () => {
    await User.deleteMany({});
  });

  it('sends the first visitor of an empty installation to create the administrator', async () => {
    const res = await request(app).get('/').expect(303);
    assert.equal(res.headers.location, '/setup');
    const page = await request(app).get('/setup').expect(200);
    assert.match(page.text, /Первый администратор/);
  });

  it('creates exactly one administrator from two simultaneous attempts', async () => {
    const agents = await Promise.all([anonymousAgent(app), anonymousAgent(app)]);
    const pages = await Promise.all(agents.map(({ agent }) => agent.get('/setup').expect(200)));
    const results = await Promise.all(
      agents.map(({ agent }, i) =>
        agent.post('/setup').type('form').send({ _csrf: csrfOf(pages[i].text), name: `Admin ${i}`, email: uniqueEmail('admin'), password: 'first admin password', confirm: 'first admin password' }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    assert.equal(await User.countDocuments({ role: 'administrator' }), 1);
    assert.equal(await User.countDocuments({}), 1);
    assert.ok(statuses.includes(303), `one attempt wins: ${statuses}`);
    // the loser is told, not shown an error page
    assert.ok(statuses.every((s) => s === 303 || s === 404 || s === 409), `statuses: ${statuses}`);
  });

  it('is gone once an administrator exists', async () => {
    await createFirstAdministrator({ name: 'Admin', email: uniqueEmail('admin'), password: 'first admin password' });
    await request(app).get('/setup').expect(404);
    const { agent, csrf } = await anonymousAgent(app);
    await agent.post('/setup').type('form').send({ _csrf: csrf, name: 'Intruder', email: uniqueEmail(), password: 'intruder password', confirm: 'intruder password' }).expect(404);
    assert.equal(await User.countDocuments({}), 1);
    const home = await request(app).get('/').expect(200);
    assert.match(home.text, /Войдите/);
  });

  it('keeps what was typed when the password is refused', async () => {
    const { agent } = await anonymousAgent(app);
    const page = await agent.get('/setup').expect(200);
    const res = await agent.post('/setup').type('form').send({ _csrf: csrfOf(page.text), name: 'Админ', email: 'admin@example.org', password: 'short', confirm: 'short' }).expect(422);
    assert.match(res.text, /value="Админ"/);
    assert.match(res.text, /не короче 12 символов/);
    assert.equal(await User.countDocuments({}), 0);
  });
});
