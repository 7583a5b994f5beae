import assert from 'node:assert/strict';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import { signIn } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { makeCirculatedDocument, makeComment, makeUser } from '../helpers/factories.js';
import { makeApprovedDocument } from '../helpers/publishing.js';
import { newTestSystem, transition } from '../helpers/app.js';
import { testEnv } from '../helpers/env.js';
import { sendDigests } from '../../server/home/digest.js';
import { User } from '../../server/users/model.js';
import { DocumentModel } from '../../server/documents/model.js';
import { actorOf } from '../helpers/factories.js';

async function needsOf(app: Express, who: { email: string; password: string }): Promise<{ text: string; href: string }[]> {
  const { agent } = await signIn(app, who);
  const $ = cheerio.load((await agent.get('/').expect(200)).text);
  return $('[data-test=needs] li').toArray().map((li) => ({ text: $(li).text().replace(/\s+/g, ' ').trim(), href: $(li).find('a').attr('href') ?? '' }));
}

describe('what needs me (the home page)', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });

  it('shows a member the open comment periods with their deadline and the time left', async () => {
    const { id } = await makeCirculatedDocument({ title: 'Микросхемы. Что ждёт участника' });
    const needs = await needsOf(app, await makeUser('member', { delegation: 'BY' }));
    const mine = needs.find((n) => n.href === `/documents/${id}/comments`);
    assert.ok(mine, JSON.stringify(needs));
    assert.match(mine.text, /Отзывы на «Микросхемы\. Что ждёт участника» — ваши замечания\s*до \d\d\.\d\d\.\d{4} \d\d:\d\d \(UTC\+3\) · Осталось/);
  });

  it('shows a head the comments awaiting release and the ballots awaiting the delegation’s vote', async () => {
    const { id } = await makeCirculatedDocument({ title: 'Микросхемы. Ждёт главу делегации' });
    await makeComment(id, { delegation: 'RU' });
    await makeComment(id, { delegation: 'RU', clauseKey: 'terms' });
    const head = await makeUser('head', { delegation: 'RU' });
    const needs = await needsOf(app, head);
    assert.ok(needs.some((n) => n.href === `/documents/${id}/comments` && /2 замечания делегации ждут направления: «Микросхемы\. Ждёт главу делегации»/.test(n.text)), JSON.stringify(needs));

    const ballot = await makeCirculatedDocument({ title: 'Микросхемы. Голосование ждёт голоса' });
    await transition(actorOf(ballot.by), ballot.id, 'closeComments', { now: new Date() });
    await transition(actorOf(ballot.by), ballot.id, 'openBallot', { now: new Date(), closesAt: new Date(Date.now() + 20 * 86400_000) });
    const after = await needsOf(app, head);
    assert.ok(after.some((n) => n.href === `/documents/${ballot.id}/ballot` && /Голос делегации по «Микросхемы\. Голосование ждёт голоса» ещё не подан/.test(n.text)), JSON.stringify(after));
  });

  it('shows the secretariat comments without a disposition, closing periods and approved documents awaiting publication', async () => {
    const { id } = await makeCirculatedDocument({ title: 'Микросхемы. Ждёт заключений' });
    await makeComment(id, { delegation: 'BY', release: true });
    const approved = await makeApprovedDocument({ title: 'Станки. Ждёт публикации' });
    const secretary = await makeUser('secretariat');
    const needs = await needsOf(app, secretary);
    assert.ok(needs.some((n) => n.href === `/documents/${id}/comments` && /Сбор отзывов на «Микросхемы\. Ждёт заключений» закрывается \(без заключения: 1\)/.test(n.text)), JSON.stringify(needs));
    assert.ok(needs.some((n) => n.href === `/documents/${approved.id}/publish` && /«Станки\. Ждёт публикации» одобрен и ждёт публикации/.test(n.text)));
    await transition(actorOf(secretary), id, 'closeComments', { now: new Date() });
    const later = await needsOf(app, secretary);
    assert.ok(later.some((n) => n.href === `/documents/${id}/comments?disposition=none` && /1 замечание без заключения: «Микросхемы\. Ждёт заключений»/.test(n.text)), JSON.stringify(later));
  });

  it('shows the administrator the invitations not yet accepted', async () => {
    const admin = await makeUser('administrator');
    await makeUser('member', { delegation: 'BY', invited: true });
    const needs = await needsOf(app, admin);
    assert.ok(needs.some((n) => n.href === '/admin/users?status=invited' && /приглашени\S* ещё не принят/.test(n.text)), JSON.stringify(needs));
  });

  it('says plainly when nothing waits', async () => {
    const maker = await makeUser('manufacturer');
    const { agent } = await signIn(app, maker);
    const $ = cheerio.load((await agent.get('/').expect(200)).text);
    assert.match($('[data-test=nothing-needed]').text(), /ничего не ждёт/);
  });
});

describe('the daily digest', () => {
  it('sends each person what needs them once a day from 08:00 committee time, once with two schedulers, and not to who turned it off', async function () {
    // A digest goes to every account the suite has made by then: the work grows with the suite, not with this test.
    this.timeout(180_000);
    const { id } = await makeCirculatedDocument({ title: 'Микросхемы. Ежедневная сводка' });
    // Its period is open on the morning the digests go out.
    await DocumentModel.updateOne({ _id: id }, { $set: { 'commentPeriod.closesAt': new Date('2031-03-20T15:00:00Z') } });
    const member = await makeUser('member', { delegation: 'BY' });
    const quiet = await makeUser('member', { delegation: 'BY' });
    await User.updateOne({ email: quiet.email }, { $addToSet: { unsubscribed: 'digest' } });
    const smtp = testEnv().smtp;
    const one = newTestSystem();
    const two = newTestSystem();
    // A day far from the others the suite uses, so that its digests are its own.
    const early = new Date('2031-03-05T04:30:00Z'); // 07:30 in Moscow and Minsk
    const morning = new Date('2031-03-05T05:01:00Z'); // 08:01
    assert.equal(await sendDigests({ notices: one.notices }, early), 0, 'not before 08:00');
    const [a, b] = await Promise.all([sendDigests({ notices: one.notices }, morning), sendDigests({ notices: two.notices }, morning)]);
    await Promise.all([one.notices.drain(), two.notices.drain()]);
    assert.ok(a + b > 0);
    const mine = smtp.messages.filter((m) => m.to.includes(member.email) && /^Accord: \d+ (дело|дела|дел) жд/.test(m.subject));
    assert.equal(mine.length, 1, 'one digest, though two schedulers ran');
    assert.match(mine[0]!.text, /что ждёт вас сегодня:\n• Отзывы на «Микросхемы\. Ежедневная сводка» — ваши замечания — до /);
    assert.match(mine[0]!.text, /notifications\/unsubscribe\?u=.*&k=digest/);
    assert.equal(smtp.messages.filter((m) => m.to.includes(quiet.email) && /^Accord: /.test(m.subject)).length, 0, 'opted out');
    assert.equal(await sendDigests({ notices: one.notices }, new Date('2031-03-05T15:00:00Z')), 0, 'not twice a day');
  });
});
