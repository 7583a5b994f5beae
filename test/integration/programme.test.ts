// The committee's work programme (docs/programme.md): target days from the committee's durations on
// creation, lateness against an injected clock, the secretariat's dashboard, the weekly e-mail (once under
// two schedulers), the plan page's filters and its XLSX export.
import assert from 'node:assert/strict';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import ExcelJS from 'exceljs';
import { signIn } from '../helpers/agent.js';
import { newTestSystem, testApp, transition } from '../helpers/app.js';
import { binaryParser } from '../helpers/comments.js';
import { testEnv } from '../helpers/env.js';
import { actorOf, makeUser, type MadeUser } from '../helpers/factories.js';
import { finishTemplateText } from '../helpers/finished-text.js';
import { committeeSettings, saveCommitteeSettings } from '../../server/committee/index.js';
import { createDocument, getDocument, programmeOf, targetsFrom } from '../../server/documents/index.js';
import { DocumentModel } from '../../server/documents/model.js';
import { sendLateReports, weekOf } from '../../server/programme/weekly.js';
import { ManualClock } from '../../server/time/clock.js';
import { addDays, day, dayOf, startOfDay } from '../../server/time/days.js';
import { User } from '../../server/users/model.js';

let seq = 0;
const unique = (title: string) => `${title} ${Date.now().toString(36)}${++seq}`;

/** A draft made on a given instant, as the secretariat makes it. */
async function draftOn(by: MadeUser, now: Date, opts: { title?: string; productGroup?: string } = {}): Promise<string> {
  const doc = await createDocument(actorOf(by), testEnv().templates, {
    kind: 'general-technical-requirements',
    titleRu: opts.title ?? unique('Микросхемы. План работ'),
    titleEn: 'Integrated circuits. Work programme',
    productGroup: opts.productGroup ?? 'integrated-circuits',
    ics: '31.200',
    developer: 'ОАО «ИНТЕГРАЛ»',
  }, now);
  return String(doc._id);
}

const text = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('the work programme', () => {
  // A time far from the rest of the suite's documents, so that what is late is this test's doing.
  const created = new Date('2033-02-01T09:00:00Z');
  let secretariat: MadeUser;

  before(async () => {
    secretariat = await makeUser('secretariat');
  });

  describe('target dates', () => {
    it('are set on creation from the committee’s default durations, counted from the day the document is made', async () => {
      const settings = await committeeSettings();
      const id = await draftOn(secretariat, created);
      const doc = await getDocument(actorOf(secretariat), id);
      const start = day('2033-02-01');
      assert.deepEqual({ ...doc.targets }, {
        circulation: addDays(start, settings.draftingDays),
        commentsEnd: addDays(start, settings.draftingDays + settings.commentDays),
        ballot: addDays(start, settings.draftingDays + settings.commentDays + settings.resolutionDays),
        publication: addDays(start, settings.draftingDays + settings.commentDays + settings.resolutionDays + settings.ballotDays + settings.publicationDays),
      });
    });

    it('follow the durations the administrator sets in the committee settings', async () => {
      const before = await committeeSettings();
      const app = testApp();
      const admin = await signIn(app, await makeUser('administrator'));
      try {
        const refused = await admin.agent.post('/admin/settings').type('form').send({ _csrf: admin.csrf, approvalRule: before.approvalRule, designationPrefix: before.designationPrefix, ballotDays: '30', draftingDays: '0', commentDays: '45', resolutionDays: '20', publicationDays: '15' }).expect(422);
        assert.match(text(cheerio.load(refused.text)('form').text()), /Целое число дней от 1 до 730/);
        await admin.agent.post('/admin/settings').type('form').send({ _csrf: admin.csrf, approvalRule: before.approvalRule, designationPrefix: before.designationPrefix, ballotDays: '30', draftingDays: '10', commentDays: '45', resolutionDays: '20', publicationDays: '15' }).expect(303);
        const page = cheerio.load((await admin.agent.get('/admin/settings').expect(200)).text);
        assert.equal(page('input[name=commentDays]').val(), '45');
        const id = await draftOn(secretariat, created);
        assert.deepEqual({ ...(await getDocument(actorOf(secretariat), id)).targets }, { circulation: '2033-02-11', commentsEnd: '2033-03-28', ballot: '2033-04-17', publication: '2033-06-01' });
      } finally {
        await saveCommitteeSettings(before);
      }
    });

    it('follow the durations the secretariat sets on the programme’s own settings page, which keeps every other setting', async () => {
      const before = await committeeSettings();
      const app = testApp();
      const sec = await signIn(app, secretariat);
      try {
        const page = cheerio.load((await sec.agent.get('/admin/settings/programme').expect(200)).text);
        assert.equal(page('input[name=draftingDays]').val(), String(before.draftingDays));
        const refused = await sec.agent.post('/admin/settings/programme').type('form').send({ _csrf: sec.csrf, draftingDays: '30', commentDays: 'sixty', resolutionDays: '30', ballotDays: '30', publicationDays: '30' }).expect(422);
        const $r = cheerio.load(refused.text);
        assert.match(text($r('form').text()), /Целое число дней от 1 до 730/);
        assert.equal($r('input[name=commentDays]').val(), 'sixty', 'what was typed is kept');
        assert.equal((await committeeSettings()).draftingDays, before.draftingDays, 'nothing changed');
        await sec.agent.post('/admin/settings/programme').type('form').send({ _csrf: sec.csrf, draftingDays: '30', commentDays: '30', resolutionDays: '30', ballotDays: '20', publicationDays: '10' }).expect(303);
        const after = await committeeSettings();
        assert.deepEqual({ ...after }, { ...before, draftingDays: 30, commentDays: 30, resolutionDays: 30, ballotDays: 20, publicationDays: 10 });
        const id = await draftOn(secretariat, created);
        assert.equal((await getDocument(actorOf(secretariat), id)).targets!.publication, '2033-06-01');
      } finally {
        await saveCommitteeSettings(before);
      }
    });

    it('are computed on read for a document made before the programme, from the day it was made', async () => {
      const id = await draftOn(secretariat, created);
      await DocumentModel.updateOne({ _id: id }, { $unset: { targets: 1 } });
      const settings = await committeeSettings();
      const doc = await getDocument(actorOf(secretariat), id);
      const p = programmeOf(doc, settings, day('2033-02-02'));
      assert.equal(p.computed, true);
      assert.deepEqual(p.stages.map((s) => s.target), Object.values(targetsFrom(dayOf(doc.createdAt), settings)));
      const app = testApp({}, newTestSystem({ clock: new ManualClock('2033-02-02T09:00:00Z') }));
      const { agent } = await signIn(app, secretariat);
      const $ = cheerio.load((await agent.get(`/documents/${id}`).expect(200)).text);
      assert.match(text($('[data-test=programme]').text()), /рассчитаны по срокам в настройках комитета/);
    });

    it('are changed by the secretariat on the document page, with the change in the history; dates out of order are refused and change nothing', async () => {
      const id = await draftOn(secretariat, created);
      const app = testApp({}, newTestSystem({ clock: new ManualClock('2033-02-02T09:00:00Z') }));
      const s = await signIn(app, secretariat);
      const page = cheerio.load((await s.agent.get(`/documents/${id}`).expect(200)).text);
      assert.equal(page('[data-test=programme] input[name=circulation]').length, 1, 'the form is there');
      const refused = await s.agent.post(`/documents/${id}/targets`).type('form').send({ _csrf: s.csrf, circulation: '2033-05-01', commentsEnd: '2033-04-01', ballot: '2033-06-01', publication: '2033-08-01' }).expect(422);
      const $r = cheerio.load(refused.text);
      assert.match(text($r('[data-test=programme]').text()), /должны идти по порядку/);
      assert.equal($r('input[name=circulation]').val(), '2033-05-01', 'what was typed is kept');
      const bad = await s.agent.post(`/documents/${id}/targets`).type('form').send({ _csrf: s.csrf, circulation: '2033-02-30', commentsEnd: '2033-04-01', ballot: '2033-06-01', publication: '2033-08-01' }).expect(422);
      assert.match(text(cheerio.load(bad.text)('[data-test=programme]').text()), /ГГГГ-ММ-ДД/);
      const unchanged = await getDocument(actorOf(secretariat), id);
      assert.notEqual(unchanged.targets!.circulation, '2033-05-01');
      await s.agent.post(`/documents/${id}/targets`).type('form').send({ _csrf: s.csrf, circulation: '2033-03-01', commentsEnd: unchanged.targets!.commentsEnd, ballot: unchanged.targets!.ballot, publication: unchanged.targets!.publication }).expect(303);
      const doc = await getDocument(actorOf(secretariat), id);
      assert.equal(doc.targets!.circulation, '2033-03-01');
      const event = doc.history.at(-1)!;
      assert.equal(event.action, 'editTargets');
      assert.match(event.note!, /^рассылка на отзывы: \d\d\.\d\d\.2033 → 01\.03\.2033$/);
      const shown = cheerio.load((await s.agent.get(`/documents/${id}`).expect(200)).text);
      assert.match(text(shown('[data-test=history]').text()), /изменены плановые даты/);
      assert.match(text(shown('[data-test=stage-circulation]').text()), /01\.03\.2033/);
      // A member reads the plan on the page but has no form.
      const member = await signIn(app, await makeUser('member', { delegation: 'BY' }));
      const $m = cheerio.load((await member.agent.get(`/documents/${id}`).expect(200)).text);
      assert.equal($m('[data-test=programme]').length, 1);
      assert.equal($m('[data-test=programme] form').length, 0);
    });
  });

  describe('lateness', () => {
    it('is a stage whose target day has passed while the document has not reached it, and never before or after', async () => {
      const id = await draftOn(secretariat, created);
      const doc = await getDocument(actorOf(secretariat), id);
      const settings = await committeeSettings();
      const circulation = doc.targets!.circulation;
      assert.deepEqual(programmeOf(doc, settings, circulation).late, [], 'on the target day itself it is not late yet');
      assert.deepEqual(programmeOf(doc, settings, addDays(circulation, 1)).late, ['circulation']);
      // Circulated late: the stage is reached (with its day); the next one is not due yet.
      await finishTemplateText(id);
      const movedAt = startOfDay(addDays(circulation, 3));
      await transition(actorOf(secretariat), id, 'circulate', { now: movedAt, closesAt: new Date(movedAt.getTime() + 30 * 86400_000) });
      const after = await getDocument(actorOf(secretariat), id);
      const p = programmeOf(after, settings, addDays(circulation, 4));
      assert.deepEqual(p.late, []);
      assert.equal(p.stages[0]!.actual, addDays(circulation, 3));
      assert.deepEqual(programmeOf(after, settings, addDays(after.targets!.commentsEnd, 1)).late, ['commentsEnd']);
      // A cancelled document is out of the programme: late on nothing.
      assert.deepEqual(programmeOf({ ...after, state: 'cancelled' }, settings, addDays(after.targets!.publication, 1)).late, []);
    });

    it('flags the late document on the secretariat’s dashboard and on its page, in words', async () => {
      const title = unique('Микросхемы. Отстаёт от плана');
      const id = await draftOn(secretariat, created, { title });
      const doc = await getDocument(actorOf(secretariat), id);
      const clock = new ManualClock(startOfDay(addDays(doc.targets!.circulation, 2)));
      const app = testApp({}, newTestSystem({ clock }));
      const { agent } = await signIn(app, secretariat);
      const $ = cheerio.load((await agent.get('/').expect(200)).text);
      const flagged = $('[data-test=late-need]').toArray().find((li) => $(li).find('a').attr('href') === `/documents/${id}#plan`);
      assert.ok(flagged, 'the late document is on the dashboard');
      assert.match(text($(flagged).text()), new RegExp(`Отставание: «${title}» отстаёт от плана: рассылка на отзывы \\(срок \\d\\d\\.\\d\\d\\.2033\\)`));
      const $d = cheerio.load((await agent.get(`/documents/${id}`).expect(200)).text);
      assert.match(text($d('[data-test=stage-circulation]').text()), /просрочено/);
      assert.equal($d('[data-test=late]').length, 1);
      // The day before the target, nothing is late.
      clock.set(startOfDay(doc.targets!.circulation));
      const $e = cheerio.load((await agent.get('/').expect(200)).text);
      assert.equal($e(`[data-test=late-need] a[href="/documents/${id}#plan"]`).length, 0);
      // A member's dashboard has no such flags: the programme is the secretariat's to keep.
      clock.set(startOfDay(addDays(doc.targets!.circulation, 2)));
      const member = await signIn(app, await makeUser('member', { delegation: 'RU' }));
      assert.equal(cheerio.load((await member.agent.get('/').expect(200)).text)('[data-test=late-need]').length, 0);
    });
  });

  describe('the weekly e-mail', () => {
    it('goes to the secretariat on Monday from 08:00, once a week though two schedulers run, in each person’s language, and not to who turned it off', async function () {
      this.timeout(180_000);
      const title = unique('Микросхемы. Еженедельный список');
      const id = await draftOn(secretariat, new Date('2034-01-02T09:00:00Z'), { title });
      await DocumentModel.updateOne({ _id: id }, { $set: { 'targets.circulation': '2034-03-01' } });
      const english = await makeUser('secretariat');
      await User.updateOne({ email: english.email }, { $set: { locale: 'en' } });
      const quiet = await makeUser('secretariat');
      await User.updateOne({ email: quiet.email }, { $addToSet: { unsubscribed: 'lateReport' } });
      const member = await makeUser('member', { delegation: 'BY' });
      const smtp = testEnv().smtp;
      const one = newTestSystem();
      const two = newTestSystem();
      const monday = day('2034-03-06');
      assert.equal(weekOf(new Date('2034-03-08T12:00:00Z')), monday, 'Wednesday is in the week of Monday');
      assert.equal(weekOf(new Date('2034-03-05T20:59:00Z')), day('2034-02-27'), 'Sunday 23:59 committee time is in the week before');
      assert.equal(weekOf(new Date('2034-03-05T21:00:00Z')), monday, 'Monday 00:00 committee time starts the week');
      assert.equal(await sendLateReports({ notices: one.notices }, new Date('2034-03-06T04:30:00Z')), 0, 'not before 08:00 on Monday');
      const morning = new Date('2034-03-06T05:01:00Z');
      const [a, b] = await Promise.all([sendLateReports({ notices: one.notices }, morning), sendLateReports({ notices: two.notices }, morning)]);
      await Promise.all([one.notices.drain(), two.notices.drain()]);
      assert.ok(a + b > 0);
      // The SMTP server may still be taking the mail when the drains end: wait for it, then count.
      await smtp.waitFor(secretariat.email, (m) => /отста[ёю]т от плана/.test(m.subject));
      await smtp.waitFor(english.email, (m) => /behind schedule/.test(m.subject));
      const mine = smtp.messages.filter((m) => m.to.includes(secretariat.email) && /отста[ёю]т от плана/.test(m.subject));
      assert.equal(mine.length, 1, 'one report, though two schedulers ran');
      // The count's word agrees with it: «21 документ отстаёт», «22 документа отстают», «25 документов отстают».
      assert.match(mine[0]!.subject, /^Accord: (\d*[02-9])?1 документ отстаёт от плана$|^Accord: \d*[2-4] документа отстают от плана$|^Accord: \d+ документов отстают от плана$/);
      assert.match(mine[0]!.text, new RegExp(`на неделе с 06\\.03\\.2034:\\n(.*\\n)*• «${title}»: рассылка на отзывы \\(срок 01\\.03\\.2034\\)`));
      assert.match(mine[0]!.text, /\/plan/);
      assert.match(mine[0]!.text, /notifications\/unsubscribe\?u=.*&k=lateReport/);
      const theirs = smtp.messages.filter((m) => m.to.includes(english.email) && /behind schedule/.test(m.subject));
      assert.equal(theirs.length, 1);
      assert.match(theirs[0]!.text, /in the week of 6 March 2034:/);
      assert.match(theirs[0]!.text, /circulation for comments \(due 1 March 2034\)/);
      assert.equal(smtp.messages.filter((m) => m.to.includes(quiet.email) && /отста[ёю]т от плана/.test(m.subject)).length, 0, 'opted out');
      assert.equal(smtp.messages.filter((m) => m.to.includes(member.email) && /отста[ёю]т от плана/.test(m.subject)).length, 0, 'the secretariat’s alone');
      assert.equal(await sendLateReports({ notices: one.notices }, new Date('2034-03-09T10:00:00Z')), 0, 'not twice a week');
    });

    it('is sent by the scheduled sweep at the digest’s time, once though two instances sweep', async function () {
      this.timeout(180_000);
      const title = unique('Микросхемы. Через планировщик');
      const id = await draftOn(secretariat, new Date('2035-01-01T09:00:00Z'), { title });
      await DocumentModel.updateOne({ _id: id }, { $set: { 'targets.circulation': '2035-02-01' } });
      const smtp = testEnv().smtp;
      const monday = new Date('2035-03-05T05:30:00Z'); // Monday 08:30 committee time
      const one = newTestSystem({ clock: new ManualClock(monday), digestTime: '08:00' });
      const two = newTestSystem({ clock: new ManualClock(monday), digestTime: '08:00' });
      await Promise.all([one.sweep(monday), two.sweep(monday)]);
      await one.sweep(new Date('2035-03-06T05:30:00Z'));
      await Promise.all([one.notices.drain(), two.notices.drain()]);
      const mine = smtp.messages.filter((m) => m.to.includes(secretariat.email) && m.text.includes('на неделе с 05.03.2035'));
      assert.equal(mine.length, 1);
      assert.ok(mine[0]!.text.includes(`• «${title}»: рассылка на отзывы (срок 01.02.2035)`));
    });

    it('is offered on the account page to the secretariat only', async () => {
      const app = testApp();
      const sec = await signIn(app, await makeUser('secretariat'));
      assert.equal(cheerio.load((await sec.agent.get('/account').expect(200)).text)('input[name=lateReport]').length, 1);
      const member = await signIn(app, await makeUser('member', { delegation: 'BY' }));
      assert.equal(cheerio.load((await member.agent.get('/account').expect(200)).text)('input[name=lateReport]').length, 0);
    });
  });

  describe('the plan page', () => {
    let app: Express;
    let laser: string;
    let circuits: string;
    let circulated: string;
    const laserTitle = unique('Станки лазерные. План');
    const formulaTitle = `=HYPERLINK("http://example.com") ${unique('Микросхемы')}`;

    before(async () => {
      laser = await draftOn(secretariat, created, { title: laserTitle, productGroup: 'laser-machines' });
      circuits = await draftOn(secretariat, created, { title: formulaTitle });
      circulated = await draftOn(secretariat, created, { title: unique('Микросхемы. Разослан') });
      await finishTemplateText(circulated);
      const at = new Date('2033-03-01T09:00:00Z');
      await transition(actorOf(secretariat), circulated, 'circulate', { now: at, closesAt: new Date('2033-04-30T20:59:00Z') });
      app = testApp({}, newTestSystem({ clock: new ManualClock('2033-06-01T09:00:00Z') }));
    });

    it('shows each document’s target and actual days per stage, and a timeline that says what it draws', async () => {
      const { agent } = await signIn(app, await makeUser('member', { delegation: 'BY' }));
      const $ = cheerio.load((await agent.get('/plan').expect(200)).text);
      const row = $(`[data-test=plan-row][data-id=${circulated}]`);
      assert.equal(row.length, 1);
      assert.equal(text(row.find('[data-test=actual-circulation]').text()), '01.03.2033');
      assert.match(text(row.find('[data-test=target-publication]').text()), /^\d\d\.\d\d\.\d{4}$/);
      const late = $(`[data-test=plan-row][data-id=${laser}]`);
      assert.equal(text(late.find('[data-test=actual-circulation]').text()), 'просрочено', 'late in words, not by colour alone');
      const svg = $('[data-test=timeline] svg');
      assert.equal(svg.attr('role'), 'img');
      assert.equal(svg.find('title#plan-timeline-title').text(), 'График работ');
      assert.match(svg.find('desc#plan-timeline-desc').text(), /документ.*отстают от плана: \d+/);
      assert.ok(svg.find('g[data-test=timeline-row] title').toArray().some((t) => $(t).text().startsWith(laserTitle) && /просрочено/.test($(t).text())));
      assert.equal($('script').length, 0, 'no JavaScript');
      assert.equal($('nav [data-test=nav-plan]').attr('href'), '/plan');
    });

    it('filters by product group and state with a GET form, and refuses what it does not know without crashing', async () => {
      const { agent } = await signIn(app, secretariat);
      const ids = async (q: string) => cheerio.load((await agent.get(`/plan${q}`).expect(200)).text)('[data-test=plan-row]').toArray().map((r) => r.attribs['data-id']);
      const laserOnly = await ids('?productGroup=laser-machines');
      assert.ok(laserOnly.includes(laser));
      assert.ok(!laserOnly.includes(circuits));
      const commenting = await ids('?state=comment');
      assert.ok(commenting.includes(circulated));
      assert.ok(!commenting.includes(laser));
      const both = await ids('?productGroup=integrated-circuits&state=draft');
      assert.ok(both.includes(circuits) && !both.includes(laser) && !both.includes(circulated));
      const page = cheerio.load((await agent.get('/plan?productGroup=laser-machines&state=draft').expect(200)).text);
      assert.equal(page('select[name=productGroup] option[selected]').val(), 'laser-machines', 'the form keeps the filter');
      assert.equal(page('[data-test=export-xlsx]').attr('href'), '/plan.xlsx?productGroup=laser-machines&state=draft');
      const refused = await agent.get('/plan?productGroup=nonsense&state=flying').expect(422);
      const $r = cheerio.load(refused.text);
      assert.match(text($r('[role=alert]').text()), /Условия отбора не распознаны/);
      assert.match(text($r('form[data-test=plan-filters]').text()), /Такой группы продукции нет/);
      assert.equal($r('[data-test=plan-row]').length, 0);
      // An operator where a value belongs is no filter at all, and never a query of the caller's making.
      const odd = await agent.get('/plan?state[$ne]=draft&productGroup[]=a');
      assert.ok(odd.status < 500);
    });

    it('exports the filtered plan as XLSX with Russian headings, every text a text cell', async () => {
      const { agent } = await signIn(app, secretariat);
      const res = await agent.get('/plan.xlsx?productGroup=integrated-circuits').buffer(true).parse(binaryParser).expect(200);
      assert.match(String(res.headers['content-type']), /spreadsheetml/);
      assert.match(String(res.headers['content-disposition']), /attachment; filename="?plan-2033-06-01\.xlsx"?/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body as ArrayBuffer);
      const ws = wb.getWorksheet('План')!;
      const headers = (ws.getRow(1).values as unknown[]).slice(1);
      assert.deepEqual(headers.slice(0, 7), ['Обозначение', 'Наименование', 'Группа продукции', 'Состояние', 'Стадия', 'Рассылка на отзывы: план', 'Рассылка на отзывы: факт']);
      assert.equal(headers.at(-1), 'Просрочено');
      const rows: Record<string, string>[] = [];
      ws.eachRow((row, n) => {
        if (n === 1) return;
        const cells: Record<string, string> = {};
        headers.forEach((h, i) => {
          const v = row.getCell(i + 1).value as { richText?: { text: string }[]; formula?: string } | null;
          assert.ok(v === null || v.richText, `row ${n}, ${String(h)}: a text cell, never a formula`);
          cells[String(h)] = v?.richText?.map((r) => r.text).join('') ?? '';
        });
        rows.push(cells);
      });
      assert.ok(!rows.some((r) => r['Наименование'] === laserTitle), 'filtered');
      const formula = rows.find((r) => r['Наименование'] === formulaTitle);
      assert.ok(formula, 'a title that looks like a formula stays its text');
      assert.equal(formula['Группа продукции'], 'Микросхемы интегральные');
      assert.equal(formula['Состояние'], 'Проект');
      assert.match(formula['Просрочено']!, /рассылка на отзывы/);
      const out = rows.find((r) => r['Наименование']!.startsWith('Микросхемы. Разослан'))!;
      assert.equal(out['Рассылка на отзывы: факт'], '01.03.2033');
    });

    it('answers the same plan as JSON through the API, filtered the same way', async () => {
      const { agent } = await signIn(app, secretariat);
      const all = (await agent.get('/api/plan').expect(200)).body as { documents: { id: string; late: string[]; stages: { stage: string; target: string; actual: string | null }[] }[] };
      const laserRow = all.documents.find((d) => d.id === laser)!;
      assert.deepEqual(laserRow.late, ['circulation']);
      assert.equal(all.documents.find((d) => d.id === circulated)!.stages[0]!.actual, '2033-03-01');
      const filtered = (await agent.get('/api/plan?productGroup=laser-machines&state=draft').expect(200)).body as { documents: { id: string }[] };
      assert.ok(filtered.documents.some((d) => d.id === laser) && !filtered.documents.some((d) => d.id === circuits));
      assert.deepEqual((await agent.get('/api/plan?productGroup=nonsense').expect(200)).body, { documents: [] });
      const refused = await agent.get('/api/plan?state=flying').expect(422);
      assert.ok(refused.body.error.message);
    });

    it('fits a phone: the table and the timeline scroll in boxes of their own', async () => {
      const { agent } = await signIn(app, secretariat);
      const $ = cheerio.load((await agent.get('/plan').expect(200)).text);
      assert.equal($('.scroll-box [data-test=plan-table]').length, 1);
      assert.equal($('.scroll-box svg').length, 1);
    });
  });
});
