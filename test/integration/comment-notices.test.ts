import assert from 'node:assert/strict';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import { pino } from 'pino';
import { mongoose } from '../../server/db/mongoose.js';
import { drainNotices, testSystem, newTestSystem } from '../helpers/app.js';
import { sweepCommentPeriods } from '../../server/comments/period.js';
import { inDays } from '../helpers/publishing.js';
import { systemClock } from '../../server/time/clock.js';
import { DocumentModel } from '../../server/documents/model.js';
import { transition } from '../helpers/app.js';
import { startScheduler, type Scheduler } from '../../server/jobs/scheduler.js';
import { User } from '../../server/users/model.js';
import { anonymousAgent, csrfOf, signIn, type Agent } from '../helpers/agent.js';
import { publicUrl, testApp } from '../helpers/app.js';
import { testEnv } from '../helpers/env.js';
import { actorOf, makeCirculatedDocument, makeDocument, makeUser, type MadeUser } from '../helpers/factories.js';
import type { CapturedMail } from '../helpers/smtp.js';
import { releaseAs, setCommentPeriod, uniqueTitle, writeComment } from '../helpers/comments.js';

// Every notice goes to every member of the committee made so far in this run, one message at a time:
// the ones a test waits for may queue behind many others.
const MAIL_WAIT = 60_000;

const smtp = () => testEnv().smtp;
/** Messages to this person whose subject matches (each test's document has a title of its own). */
const mailsTo = (who: MadeUser, subject: RegExp): CapturedMail[] => smtp().messages.filter((m) => m.to.includes(who.email.toLowerCase()) && subject.test(m.subject));
const waitMail = (who: MadeUser, subject: RegExp) => smtp().waitFor(who.email, (m) => subject.test(m.subject), MAIL_WAIT);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The unsubscribe link at the end of a notice, as a path on the application. */
function unsubscribeLinkIn(mail: CapturedMail): string {
  const m = mail.text.match(new RegExp(`${escape(publicUrl)}(/notifications/unsubscribe\\?[^\\s]+)`));
  if (!m) throw new Error(`no unsubscribe link in: ${mail.text}`);
  return m[1]!;
}

describe('comment notices', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });
  const form = (s: { agent: Agent; csrf: string }, url: string, fields: Record<string, string> = {}) => s.agent.post(url).type('form').send({ _csrf: s.csrf, ...fields });

  it('tells both delegations a period opened, the head once that comments await release, the secretariat that a position was released', async function () {
    this.timeout(180_000);
    const title = uniqueTitle('Извещения');
    const secretariat = await makeUser('secretariat');
    const byMember = await makeUser('member', { delegation: 'BY' });
    const byMember2 = await makeUser('member', { delegation: 'BY' });
    const ruMember = await makeUser('member', { delegation: 'RU' });
    const byHead = await makeUser('head', { delegation: 'BY' });
    const ruHead = await makeUser('head', { delegation: 'RU' });
    const { id } = await makeDocument({ title, by: secretariat });
    const sec = await signIn(app, secretariat);
    const closesDate = inDays(40);
    await form(sec, `/documents/${id}/transitions/circulate`, { closesDate, closesTime: '18:00' }).expect(303);

    const opened = new RegExp(`^Начат сбор отзывов: ${escape(title)}$`);
    for (const who of [byMember, byMember2, ruMember, byHead, ruHead]) {
      const mail = await waitMail(who, opened);
      assert.match(mail.text, new RegExp(`Замечания принимаются до ${closesDate.slice(8, 10)}\\.${closesDate.slice(5, 7)}\\.${closesDate.slice(0, 4)} 18:00 \\(UTC\\+3\\)`));
    }

    // Several comments, one e-mail to the head.
    const m1 = await signIn(app, byMember);
    const m2 = await signIn(app, byMember2);
    await form(m1, `/documents/${id}/comments`, { clauseKey: 'scope', type: 'te', text: 'Первое' }).expect(303);
    const awaiting = new RegExp(`^Замечания делегации BY ждут направления: ${escape(title)}$`);
    const first = await waitMail(byHead, awaiting);
    assert.match(first.text, /члены делегации BY пишут замечания/);
    await form(m2, `/documents/${id}/comments`, { clauseKey: 'terms', type: 'ed', text: 'Второе' }).expect(303);
    await form(m1, `/documents/${id}/comments`, { clauseKey: 'safety', type: 'ge', text: 'Третье' }).expect(303);
    await drainNotices();
    assert.equal(mailsTo(byHead, awaiting).length, 1, 'the head is told once');
    assert.equal(mailsTo(ruHead, /ждут направления/).filter((m) => m.subject.includes(title)).length, 0, 'RU wrote nothing');
    assert.equal(mailsTo(byMember, awaiting).length, 0, 'members are not asked to release');

    const head = await signIn(app, byHead);
    await form(head, `/documents/${id}/position`).expect(303);
    const releasedSubject = new RegExp(`^Делегация BY направила позицию: ${escape(title)}$`);
    const released = await waitMail(secretariat, releasedSubject);
    assert.match(released.text, /\(3 замеч\.\)/);

    // Every one of them carries a link to the document and a signed unsubscribe link for its kind.
    const kinds: [RegExp, string, MadeUser][] = [[opened, 'periodOpened', ruMember], [awaiting, 'awaitingRelease', byHead], [releasedSubject, 'positionReleased', secretariat]];
    for (const [subject, kind, who] of kinds) {
      const mail = mailsTo(who, subject)[0]!;
      assert.ok(mail.text.includes(`${publicUrl}/documents/${id}`), `${kind}: no link to the document`);
      const link = unsubscribeLinkIn(mail);
      assert.match(link, new RegExp(`^/notifications/unsubscribe\\?u=${who.id}&k=${kind}&s=[\\w-]{43}$`));
      assert.ok(cheerio.load(mail.html)(`a[href="${publicUrl}${link}"]`).length === 1, `${kind}: the HTML part links to the same place`);
    }
  });

  it('stops a kind of notice for a person who follows the unsubscribe link, and only that kind', async function () {
    this.timeout(180_000);
    const secretariat = await makeUser('secretariat');
    const quitter = await makeUser('member', { delegation: 'BY' });
    const stayer = await makeUser('member', { delegation: 'BY' });
    const firstTitle = uniqueTitle('Первый');
    const secondTitle = uniqueTitle('Второй');
    const first = await makeDocument({ title: firstTitle, by: secretariat });
    await transition(actorOf(secretariat), first.id, 'circulate', { now: new Date(), closesAt: new Date(Date.now() + 30 * 86400_000) });
    const mail = await waitMail(quitter, new RegExp(`^Начат сбор отзывов: ${escape(firstTitle)}$`));
    const link = unsubscribeLinkIn(mail);

    // A forged signature does nothing.
    const { agent } = await anonymousAgent(app);
    const forged = await agent.get(link.replace(/s=[\w-]+$/, `s=${'A'.repeat(43)}`)).expect(422);
    assert.match(forged.text, /Ссылка для отписки повреждена/);
    const otherKind = await agent.get(link.replace('k=periodOpened', 'k=reminder')).expect(422);
    assert.match(otherKind.text, /Ссылка для отписки повреждена/);

    // Following the link only asks (mail scanners follow links too); the button unsubscribes.
    const page = await agent.get(link).expect(200);
    assert.match(cheerio.load(page.text)('main, body').text(), new RegExp(`Больше не присылать письма «начало сбора отзывов» на ${escape(quitter.email)}\\?`));
    assert.deepEqual((await User.findById(quitter.id).lean())?.unsubscribed, []);
    const action = cheerio.load(page.text)('form[action^="/notifications/unsubscribe"]').attr('action')!;
    const done = await agent.post(action).type('form').send({ _csrf: csrfOf(page.text) }).expect(200);
    assert.match(done.text, /письма «начало сбора отзывов» больше не будут приходить/);
    assert.deepEqual((await User.findById(quitter.id).lean())?.unsubscribed, ['periodOpened']);

    const second = await makeDocument({ title: secondTitle, by: secretariat });
    await transition(actorOf(secretariat), second.id, 'circulate', { now: new Date(), closesAt: new Date(Date.now() + 30 * 86400_000) });
    await drainNotices();
    assert.equal(mailsTo(stayer, new RegExp(`^Начат сбор отзывов: ${escape(secondTitle)}$`)).length, 1);
    assert.equal(mailsTo(quitter, new RegExp(`^Начат сбор отзывов: ${escape(secondTitle)}$`)).length, 0);
    // Other kinds still come.
    await transition(actorOf(secretariat), second.id, 'closeComments', { now: new Date() });
    await waitMail(quitter, new RegExp(`^Сбор отзывов завершён: ${escape(secondTitle)}$`));
  });

  it('stops a kind of notice switched off in the account’s notification settings', async function () {
    this.timeout(180_000);
    const quiet = await makeUser('secretariat');
    const sentinel = await makeUser('secretariat');
    const s = await signIn(app, quiet);
    const account = cheerio.load((await s.agent.get('/account').expect(200)).text);
    const boxes = new Map(account('#notifications input[type=checkbox]').toArray().map((i) => [account(i).attr('name')!, account(i).is(':checked')]));
    for (const kind of ['periodOpened', 'periodClosed', 'awaitingRelease', 'positionReleased', 'reminder']) assert.equal(boxes.get(kind), true, `${kind} is offered and on`);
    // As the browser sends the form with one box unticked.
    const ticked = Object.fromEntries([...boxes.keys()].filter((k) => k !== 'positionReleased').map((k) => [k, 'on']));
    const saved = await form(s, '/account/notifications', ticked).expect(303);
    assert.equal(saved.headers.location, '/account?notices=saved#notifications');
    assert.deepEqual((await User.findById(quiet.id).lean())?.unsubscribed, ['positionReleased']);
    const again = cheerio.load((await s.agent.get('/account').expect(200)).text);
    assert.equal(again('#notifications input[name=positionReleased]').is(':checked'), false);
    assert.equal(again('#notifications input[name=reminder]').is(':checked'), true);

    const title = uniqueTitle('Настройки');
    const { id } = await makeCirculatedDocument({ title });
    const member = await makeUser('member', { delegation: 'RU' });
    await writeComment(id, member, { clauseKey: 'scope' });
    await releaseAs(id, 'RU');
    await drainNotices();
    assert.equal(mailsTo(sentinel, new RegExp(`^Делегация RU направила позицию: ${escape(title)}$`)).length, 1);
    assert.equal(mailsTo(quiet, /направила позицию/).filter((m) => m.subject.includes(title)).length, 0);
  });

  describe('the scheduled sweep', () => {
    const schedulers: Scheduler[] = [];
    /** Waits until a run of the scheduled job that started after `mark` has finished, on either instance. */
    const jobFinishedAfter = async (mark: Date): Promise<void> => {
      for (;;) {
        const job = await mongoose.connection.collection('jobs').findOne({ name: 'comment-periods' });
        const run = job?.lastRunAt as Date | undefined;
        const finished = job?.lastFinishedAt as Date | undefined;
        if (run && finished && run > mark && finished >= run) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    afterEach(async function () {
      this.timeout(30_000);
      await Promise.all(schedulers.splice(0).map((s) => s.stop()));
    });

    it('reminds each member of a delegation that has not released exactly once, with two server instances sweeping', async function () {
      this.timeout(180_000);
      const title = uniqueTitle('Напоминание');
      const { id } = await makeCirculatedDocument({ title });
      const by = [await makeUser('member', { delegation: 'BY' }), await makeUser('member', { delegation: 'BY' }), await makeUser('head', { delegation: 'BY' })];
      const ru = [await makeUser('member', { delegation: 'RU' }), await makeUser('head', { delegation: 'RU' })];
      await writeComment(id, ru[0]!, { clauseKey: 'scope' });
      await releaseAs(id, 'RU', ru[1]);
      await writeComment(id, by[0]!, { clauseKey: 'terms' });
      const now = Date.now();
      await setCommentPeriod(id, { opensAt: new Date(now - 30 * 86400_000), closesAt: new Date(now + 6 * 86400_000) });

      const logger = pino({ level: 'silent' });
      const started = new Date();
      schedulers.push(await startScheduler({ system: newTestSystem({ logger }), logger, processEvery: 200, every: '1 second' }));
      schedulers.push(await startScheduler({ system: newTestSystem({ logger }), logger, processEvery: 200, every: '1 second' }));
      await Promise.all(Array.from({ length: 4 }, () => sweepCommentPeriods(testSystem(), new Date())));

      const reminder = new RegExp(`^Осталось 7 дней до окончания сбора отзывов: ${escape(title)}$`);
      for (const who of by) {
        const mail = await waitMail(who, reminder);
        assert.match(mail.text, /Национальная позиция вашей делегации ещё не направлена/);
        assert.ok(mail.text.includes(`${publicUrl}/documents/${id}/comments`));
        assert.match(unsubscribeLinkIn(mail), new RegExp(`^/notifications/unsubscribe\\?u=${who.id}&k=reminder&s=`));
      }
      // Let the instances run their job twice more, each run started after the reminders went out.
      await jobFinishedAfter(new Date());
      await jobFinishedAfter(new Date());
      await Promise.all(Array.from({ length: 4 }, () => sweepCommentPeriods(testSystem(), new Date())));
      await drainNotices();
      for (const who of by) assert.equal(mailsTo(who, reminder).length, 1, `${who.role} of BY`);
      for (const who of ru) assert.equal(mailsTo(who, /до окончания сбора отзывов/).filter((m) => m.subject.includes(title)).length, 0, `${who.role} of RU, who released`);
      // The job really ran, from one record that both instances share.
      const jobs = await mongoose.connection.collection('jobs').find({ name: 'comment-periods' }).toArray();
      assert.equal(jobs.length, 1);
      assert.ok(jobs[0]!.lastRunAt instanceof Date && jobs[0]!.lastRunAt > started, `last run ${jobs[0]!.lastRunAt}`);
      // Not the one-day reminder yet.
      for (const who of by) assert.equal(mailsTo(who, /^Остался 1 день/).filter((m) => m.subject.includes(title)).length, 0);
      assert.equal((await DocumentModel.findById(id).lean())?.state, 'comment');
    });

    it('closes a period whose deadline has passed, once, however many sweeps run at the same time', async function () {
      this.timeout(60_000);
      const title = uniqueTitle('Срок истёк');
      const { id } = await makeCirculatedDocument({ title });
      const member = await makeUser('member', { delegation: 'RU' });
      await setCommentPeriod(id, { closesAt: new Date(Date.now() - 1000) });
      const results = await Promise.all(Array.from({ length: 6 }, () => sweepCommentPeriods(testSystem(), new Date())));
      assert.ok(results.some((r) => r.closed >= 1));
      const doc = await DocumentModel.findById(id).lean();
      assert.equal(doc?.state, 'resolution');
      assert.equal(doc?.stage, '30.60');
      const events = doc!.history.filter((e) => e.action === 'commentDeadline');
      assert.equal(events.length, 1);
      assert.equal(events[0]!.by, null, 'moved by the system');
      const closed = new RegExp(`^Сбор отзывов завершён: ${escape(title)}$`);
      await drainNotices();
      const mails = mailsTo(member, closed);
      assert.equal(mails.length, 1);
      assert.ok(mails[0]!.text.includes(`${publicUrl}/documents/${id}`));
      assert.match(unsubscribeLinkIn(mails[0]!), new RegExp(`^/notifications/unsubscribe\\?u=${member.id}&k=periodClosed&s=`));
    });
  });
});
