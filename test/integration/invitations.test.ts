import assert from 'node:assert/strict';
import type { Express } from 'express';
import { OneTimeLink } from '../../server/auth/links-model.js';
import { User } from '../../server/users/model.js';
import { anonymousAgent, csrfOf, signIn } from '../helpers/agent.js';
import { publicUrl, testApp } from '../helpers/app.js';
import { testEnv } from '../helpers/env.js';
import { makeUser, uniqueEmail } from '../helpers/factories.js';
import { linkIn } from '../helpers/smtp.js';

describe('invitations', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });

  async function invite(fields: Record<string, string>, status: number) {
    const admin = await makeUser('administrator');
    const { agent, csrf } = await signIn(app, admin);
    return agent.post('/admin/users').type('form').send({ _csrf: csrf, ...fields }).expect(status);
  }

  it('e-mails a one-time link with which the person sets a password and signs in', async () => {
    const email = uniqueEmail('member');
    await invite({ email, name: 'Ирина Ковалёва', role: 'member', delegation: 'BY' }, 303);
    const mail = await testEnv().smtp.waitFor(email);
    assert.match(mail.subject, /Приглашение/);
    const link = linkIn(mail, publicUrl).slice(publicUrl.length);

    const { agent } = await anonymousAgent(app);
    const page = await agent.get(link).expect(200);
    assert.match(page.text, /Ирина Ковалёва/);
    await agent.post(link).type('form').send({ _csrf: csrfOf(page.text), password: 'Пароль для комитета 2026', confirm: 'Пароль для комитета 2026' }).expect(200);

    const { agent: member } = await signIn(app, { email, password: 'Пароль для комитета 2026' });
    const me = await member.get('/api/me').expect(200);
    assert.equal(me.body.role, 'member');
    assert.equal(me.body.delegation, 'BY');
  });

  it('refuses a link that has been used already, and changes nothing', async () => {
    const email = uniqueEmail('head');
    await invite({ email, name: 'Head', role: 'head', delegation: 'RU' }, 303);
    const link = linkIn(await testEnv().smtp.waitFor(email), publicUrl).slice(publicUrl.length);
    const { agent } = await anonymousAgent(app);
    const page = await agent.get(link).expect(200);
    const csrf = csrfOf(page.text);
    await agent.post(link).type('form').send({ _csrf: csrf, password: 'first chosen password!', confirm: 'first chosen password!' }).expect(200);
    const before = await User.findOne({ email }).select({ passwordHash: 1 }).lean();
    const again = await agent.post(link).type('form').send({ _csrf: csrf, password: 'second chosen password', confirm: 'second chosen password' }).expect(410);
    assert.match(again.text, /уже использована/);
    const after = await User.findOne({ email }).select({ passwordHash: 1 }).lean();
    assert.equal(after?.passwordHash, before?.passwordHash);
    await agent.get(link).expect(410);
  });

  it('refuses an expired link', async () => {
    const email = uniqueEmail('member');
    await invite({ email, name: 'Late', role: 'member', delegation: 'RU' }, 303);
    const link = linkIn(await testEnv().smtp.waitFor(email), publicUrl).slice(publicUrl.length);
    const user = await User.findOne({ email }).select({ _id: 1 }).lean();
    await OneTimeLink.updateMany({ user: user!._id }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const { agent, csrf } = await anonymousAgent(app);
    const res = await agent.get(link).expect(410);
    assert.match(res.text, /истёк/);
    await agent.post(link).type('form').send({ _csrf: csrf, password: 'a long enough password', confirm: 'a long enough password' }).expect(410);
    const stored = await User.findOne({ email }).select({ passwordHash: 1 }).lean();
    assert.equal(stored?.passwordHash, null);
  });

  it('refuses a duplicate e-mail whatever its case, keeping what was typed', async () => {
    const existing = await makeUser('member', { delegation: 'BY' });
    const res = await invite({ email: existing.email.toUpperCase(), name: 'Двойник', role: 'member', delegation: 'BY' }, 422);
    assert.match(res.text, /уже есть/);
    assert.match(res.text, /value="Двойник"/);
    assert.equal(await User.countDocuments({ email: existing.email }), 1);
  });

  it('requires a delegation for heads and members, and refuses one for others', async () => {
    const a = await invite({ email: uniqueEmail(), name: 'No delegation', role: 'member' }, 422);
    assert.match(a.text, /укажите делегацию/);
    const b = await invite({ email: uniqueEmail(), name: 'Secretary', role: 'secretariat', delegation: 'BY' }, 422);
    assert.match(b.text, /только для руководителя и члена делегации/i);
  });

  it('refuses a new password that is short or common', async () => {
    const email = uniqueEmail('member');
    await invite({ email, name: 'Weak', role: 'member', delegation: 'BY' }, 303);
    const link = linkIn(await testEnv().smtp.waitFor(email), publicUrl).slice(publicUrl.length);
    const { agent } = await anonymousAgent(app);
    const csrf = csrfOf((await agent.get(link)).text);
    const short = await agent.post(link).type('form').send({ _csrf: csrf, password: 'short pw', confirm: 'short pw' }).expect(422);
    assert.match(short.text, /не короче 12 символов/);
    const common = await agent.post(link).type('form').send({ _csrf: csrf, password: 'qwerty123456', confirm: 'qwerty123456' }).expect(422);
    assert.match(common.text, /распространён/);
    // the link still works after refused attempts
    await agent.post(link).type('form').send({ _csrf: csrf, password: 'a sound password 7', confirm: 'a sound password 7' }).expect(200);
  });
});
