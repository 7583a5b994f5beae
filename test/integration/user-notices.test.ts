import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import type { mongo } from 'mongoose';
import { anonymousAgent, signIn, type Agent } from '../helpers/agent.js';
import { sessionSecret, testApp, testSystem } from '../helpers/app.js';
import { testEnv } from '../helpers/env.js';
import { delegationId, makeUser } from '../helpers/factories.js';
import { noticeRecipients, noticeSettings, setNoticesOff, turnNoticeOff } from '../../server/users/service.js';
import { mongoose } from '../../server/db/mongoose.js';
import { StoredSession } from '../../server/auth/sessions-model.js';
import { unsubscribeSignature } from '../../server/notices/index.js';

// The users service keeps the e-mail notice settings; the comments feature asks it who gets a notice.
describe('notice settings in the users service', () => {
  const settingOf = async (id: string, kind: string) => (await noticeSettings(id)).find((s) => s.kind === kind)?.on;

  it('turns one kind off, then sets exactly the kinds that are off', async () => {
    const u = await makeUser('member', { delegation: 'BY' });
    await turnNoticeOff(u.id, 'reminder');
    await turnNoticeOff(u.id, 'reminder');
    assert.equal(await settingOf(u.id, 'reminder'), false);
    assert.equal(await settingOf(u.id, 'periodOpened'), true);
    await setNoticesOff(u.id, ['periodOpened', 'catalogue']);
    assert.deepEqual((await noticeSettings(u.id)).filter((s) => !s.on).map((s) => s.kind), ['periodOpened']);
  });

  it('lists a manufacturer only the catalogue’s notices, and the committee’s people never those', async () => {
    const maker = await makeUser('manufacturer');
    const member = await makeUser('member', { delegation: 'RU' });
    assert.deepEqual((await noticeSettings(maker.id)).map((s) => s.kind), ['catalogue']);
    assert.ok(!(await noticeSettings(member.id)).some((s) => s.kind === 'catalogue'));
    assert.ok((await noticeSettings(member.id)).some((s) => s.kind === 'periodOpened'));
  });

  it('sends a notice to active people with a password in the roles and delegations asked for, unless they opted out', async () => {
    const [by, byOut, byInvited, byInactive, ru, secretariat] = await Promise.all([
      makeUser('member', { delegation: 'BY' }),
      makeUser('member', { delegation: 'BY' }),
      makeUser('member', { delegation: 'BY', invited: true }),
      makeUser('member', { delegation: 'BY', active: false }),
      makeUser('head', { delegation: 'RU' }),
      makeUser('secretariat'),
    ]);
    await turnNoticeOff(byOut.id, 'periodOpened');
    const to = await noticeRecipients({ roles: ['head', 'member'], delegationIds: [await delegationId('BY')] }, 'periodOpened');
    const emails = new Set(to.map((r) => r.email));
    assert.ok(emails.has(by.email));
    for (const left of [byOut, byInvited, byInactive, ru, secretariat]) assert.ok(!emails.has(left.email), left.email);
    const everywhere = new Set((await noticeRecipients({ roles: ['head', 'secretariat'] }, 'periodOpened')).map((r) => r.email));
    assert.ok(everywhere.has(ru.email) && everywhere.has(secretariat.email) && !everywhere.has(by.email));
  });

  it('shows a manufacturer\'s account page only the catalogue\'s notices, and a member\'s never that one', async () => {
    const app = testApp();
    const boxes = async (role: 'manufacturer' | 'member') => {
      const { agent } = await signIn(app, await makeUser(role, role === 'member' ? { delegation: 'BY' } : {}));
      const $ = cheerio.load((await agent.get('/account').expect(200)).text);
      return $('#notifications input[type=checkbox]').map((_, el) => $(el).attr('name')).get();
    };
    assert.deepEqual(await boxes('manufacturer'), ['catalogue']);
    const member = await boxes('member');
    assert.ok(!member.includes('catalogue') && member.includes('periodOpened') && member.includes('digest'), member.join(', '));
  });

  it('says why a mail came in the words of the person\'s role: a manufacturer subscribes, the committee\'s people work in it', async () => {
    const maker = await makeUser('manufacturer');
    const member = await makeUser('member', { delegation: 'BY' });
    const to = [...(await noticeRecipients({ roles: ['manufacturer'] }, 'catalogue')), ...(await noticeRecipients({ roles: ['member'] }, 'periodOpened'))]
      .filter((r) => r.email === maker.email || r.email === member.email);
    assert.equal(to.length, 2);
    // The same kind to both, so that only the role can tell the words apart.
    for (const kind of ['catalogue', 'periodOpened'] as const) {
      await testSystem().notices.send({ key: `footer-test:${kind}:${maker.id}`, kind, to, params: { designation: 'СТ СГ 1-2026', title: 'Микросхемы', titleRu: 'Микросхемы', titleEn: 'Circuits', groupRu: 'г', groupEn: 'g', whatRu: 'опубликован', whatEn: 'published', closesAt: '01.02.2027' }, link: '/catalogue' });
      const toMaker = await testEnv().smtp.waitFor(maker.email, (m) => m.text.includes(`k=${kind}`));
      const toMember = await testEnv().smtp.waitFor(member.email, (m) => m.text.includes(`k=${kind}`));
      assert.match(toMaker.text, /подписаны на изменения каталога стандартов/, kind);
      assert.doesNotMatch(toMaker.text, /участник работы комитета/, kind);
      assert.match(toMember.text, /как участник работы комитета/, kind);
    }
  });

  it('shows the account page from the session and the tokens alone, and a change of notice settings in every open session at once', async () => {
    const app = testApp();
    const member = await makeUser('member', { delegation: 'BY' });
    const here = await signIn(app, member);
    const there = await signIn(app, member);
    const offOn = async (agent: Agent) => {
      const $ = cheerio.load((await agent.get('/account').expect(200)).text);
      return $('#notifications input[type=checkbox]').filter((_, el) => !$(el).is('[checked]')).map((_, el) => $(el).attr('name')).get();
    };

    // What one page view asks the database: its session, then the person's tokens (the session keeps the rest).
    const client = mongoose.connection.getClient();
    const asked: string[] = [];
    // The mail of the test before may still be being recorded (its notice log is written after the SMTP
    // server took the mail the test waited for): that write is not this page's.
    const watch = (e: mongo.CommandStartedEvent) => {
      const collection = String((e.command as Record<string, unknown>)[e.commandName]);
      if (collection !== 'noticelogs') asked.push(`${e.commandName} ${collection}`);
    };
    client.on('commandStarted', watch);
    try {
      assert.deepEqual(await offOn(here.agent), []);
    } finally {
      client.off('commandStarted', watch);
    }
    assert.deepEqual(asked, ['find sessions', 'find apitokens']);

    // Settings saved in another session, then one kind turned off by the link in a mail, as nobody signed in.
    await there.agent.post('/account/notifications').type('form').send({ _csrf: there.csrf, digest: 'on' }).expect(303);
    const saved = (await noticeSettings(member.id)).filter((n) => !n.on).map((n) => n.kind);
    assert.ok(saved.length > 1 && !saved.includes('digest'), saved.join(', '));
    assert.deepEqual(await offOn(here.agent), saved);
    const anonymous = await anonymousAgent(app);
    const link = `/notifications/unsubscribe?u=${member.id}&k=digest&s=${unsubscribeSignature(sessionSecret, member.id, 'digest')}`;
    await anonymous.agent.post(link).type('form').send({ _csrf: anonymous.csrf }).expect(200);
    assert.deepEqual((await offOn(here.agent)).sort(), [...saved, 'digest'].sort());
    assert.deepEqual((await offOn(there.agent)).sort(), [...saved, 'digest'].sort());

    // A session that keeps no notice settings (saved before it kept them) has them read from the account.
    await setNoticesOff(member.id, ['reminder']);
    await StoredSession.collection.updateMany({ 'session.passport.user.id': member.id }, { $unset: { 'session.passport.user.off': '' } });
    await turnNoticeOff(member.id, 'periodOpened');
    await StoredSession.collection.updateMany({ 'session.passport.user.id': member.id }, { $unset: { 'session.passport.user.off': '' } });
    assert.deepEqual((await offOn(here.agent)).sort(), ['periodOpened', 'reminder']);
  });
});
