import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import { anonymousAgent, signIn, type Agent } from '../helpers/agent.js';
import { drainNotices, testApp, transition } from '../helpers/app.js';
import { actorOf, makeUser, type MadeUser } from '../helpers/factories.js';
import { releaseAs, roundOfComments, storedComment, uniqueTitle, writeComment } from '../helpers/comments.js';
import { binary, makeApprovedDocument } from '../helpers/publishing.js';
import { testEnv } from '../helpers/env.js';
import { describeFailures, verapdf, verapdfInstalled } from '../helpers/verapdf.js';
import { setDisposition } from '../../server/comments/index.js';
import { Meeting, type MeetingRecord } from '../../server/meetings/model.js';
import { User } from '../../server/users/model.js';
import { foldLine, escapeText } from '../../server/meetings/ics.js';

/** An iCalendar text as its content lines, unfolded (RFC 5545 §3.1), each as name, parameters and value. */
function parseIcs(text: string): { name: string; params: string; value: string }[] {
  assert.ok(!/[^\r]\n/.test(text), 'every line ends with CRLF');
  for (const line of text.split('\r\n')) assert.ok(Buffer.byteLength(line, 'utf8') <= 75, `a line longer than 75 octets: ${line}`);
  return text
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .filter(Boolean)
    .map((line) => {
      const colon = line.search(/:(?=(?:[^"]*"[^"]*")*[^"]*$)/);
      const head = line.slice(0, colon);
      const [name, ...params] = head.split(';');
      return { name: name!, params: params.join(';'), value: line.slice(colon + 1) };
    });
}
const prop = (lines: ReturnType<typeof parseIcs>, name: string) => lines.filter((l) => l.name === name);
const one = (lines: ReturnType<typeof parseIcs>, name: string) => {
  const found = prop(lines, name);
  assert.equal(found.length, 1, `one ${name}`);
  return found[0]!.value;
};

function pdfFile(bytes: Buffer): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'accord-minutes-')), 'minutes.pdf');
  writeFileSync(file, bytes);
  return file;
}
const pdfText = (bytes: Buffer): string => execFileSync('pdftotext', [pdfFile(bytes), '-'], { encoding: 'utf8' });


function form(fields: Record<string, string | string[] | number | undefined>, csrf: string): string {
  const p = new URLSearchParams({ _csrf: csrf });
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    for (const x of Array.isArray(v) ? v : [v]) p.append(k, String(x));
  }
  return p.toString();
}

async function storedMeeting(id: string): Promise<MeetingRecord> {
  const m = await Meeting.findById(id).lean<MeetingRecord>();
  assert.ok(m);
  return m;
}

describe('committee meetings', () => {
  let app: Express;
  let secretariat: MadeUser;
  let sec: { agent: Agent; csrf: string };
  let memberBY: MadeUser;
  let memberRU: MadeUser;
  let docId: string;
  let referredId: string;
  let otherReferredId: string;
  let approvedId: string;
  let meetingId = '';

  before(async function () {
    this.timeout(120_000);
    app = testApp();
    const round = await roundOfComments(uniqueTitle('Станки лазерные'));
    docId = round.id;
    secretariat = round.secretariat;
    memberBY = round.members.BY;
    memberRU = round.members.RU;
    const c1 = await writeComment(docId, memberBY, { clauseKey: 'scope', text: 'Расширить область применения на станки с ЧПУ.' });
    const c2 = await writeComment(docId, memberBY, { clauseKey: 'scope', text: 'Уточнить термин «лазерный станок».' });
    await releaseAs(docId, 'BY');
    await transition(actorOf(secretariat), docId, 'closeComments', { now: new Date() });
    referredId = String(c1._id);
    otherReferredId = String(c2._id);
    for (const id of [referredId, otherReferredId]) await setDisposition(actorOf(secretariat), id, { decision: 'referred', observation: 'Обсудить на заседании' }, new Date());
    approvedId = (await makeApprovedDocument({ title: uniqueTitle('Машины зубообрабатывающие') })).id;
    sec = await signIn(app, secretariat);
    await User.updateOne({ _id: memberBY.id }, { $set: { locale: 'en' } });
  });

  it('schedules a meeting with participants by delegation, in committee time, and refuses bad input changing nothing', async () => {
    const before = await Meeting.countDocuments();
    const page = await sec.agent.get('/meetings/new').expect(200);
    const $ = cheerio.load(page.text);
    assert.ok($(`input[name=participants][value="${memberBY.id}"]`).length, 'the BY member can be chosen');
    assert.match($('[data-test=participants]').text(), /Делегация BY/);

    const bad = await sec.agent.post('/meetings').type('form').send(form({ title: 'Заседание', day: '2026-12-15', time: '25:00', durationMinutes: 120, participants: [memberBY.id] }, sec.csrf));
    assert.equal(bad.status, 422);
    assert.match(cheerio.load(bad.text)('.has-error').text(), /ЧЧ:ММ/);
    const nobody = await sec.agent.post('/meetings').type('form').send(form({ title: 'Заседание', day: '2026-12-15', time: '10:00', durationMinutes: 120 }, sec.csrf));
    assert.equal(nobody.status, 422);
    assert.match(nobody.text, /хотя бы одного участника/);
    assert.equal(await Meeting.countDocuments(), before);

    const res = await sec.agent
      .post('/meetings')
      .type('form')
      .send(form({ title: 'Заседание ТК 3; итоги, планы', day: '2026-12-15', time: '10:00', durationMinutes: 90, place: 'Минск, ул. Мележа, 3', link: 'https://meet.example/tk3', participants: [memberBY.id, memberRU.id, secretariat.id], guests: 'Иванов И. И., БелГИСС' }, sec.csrf))
      .expect(303);
    meetingId = /\/meetings\/([0-9a-f]{24})/.exec(res.headers.location!)![1]!;
    const m = await storedMeeting(meetingId);
    assert.equal(m.startsAt.toISOString(), '2026-12-15T07:00:00.000Z');
    assert.deepEqual(m.participants.map((p) => p.delegation), ['BY', 'RU', null]);
    assert.deepEqual(m.guests, ['Иванов И. И., БелГИСС']);
    const show = await sec.agent.get(`/meetings/${meetingId}`).expect(200);
    assert.match(show.text, /15\.12\.2026 10:00 \(UTC\+3\)/);
    assert.match(cheerio.load(show.text)('[data-test=participants]').text(), new RegExp(memberRU.name));
  });

  it('builds the agenda from the referred comments and the documents awaiting a decision; the secretariat adds, reorders and removes', async () => {
    const page = await sec.agent.get(`/meetings/${meetingId}`).expect(200);
    const candidates = cheerio.load(page.text)('[data-test=candidates]');
    assert.equal(candidates.find(`input[name=ref][value="${referredId}"]`).length, 1, 'the referred comment is offered');
    assert.equal(candidates.find(`input[name=ref][value="${approvedId}"]`).length, 1, 'the approved document is offered');

    await sec.agent.post(`/meetings/${meetingId}/agenda`).type('form').send(form({ kind: 'comment', ref: referredId }, sec.csrf)).expect(303);
    await sec.agent.post(`/meetings/${meetingId}/agenda`).type('form').send(form({ kind: 'comment', ref: otherReferredId }, sec.csrf)).expect(303);
    await sec.agent.post(`/meetings/${meetingId}/agenda`).type('form').send(form({ kind: 'document', ref: approvedId }, sec.csrf)).expect(303);
    await sec.agent.post(`/meetings/${meetingId}/agenda`).type('form').send(form({ kind: 'other', title: 'Разное' }, sec.csrf)).expect(303);
    // Twice the same comment, or one that was never referred, is refused.
    assert.equal((await sec.agent.post(`/meetings/${meetingId}/agenda`).type('form').send(form({ kind: 'comment', ref: referredId }, sec.csrf))).status, 409);
    assert.equal((await sec.agent.post(`/meetings/${meetingId}/agenda`).type('form').send(form({ kind: 'document', ref: docId }, sec.csrf))).status, 422);

    let m = await storedMeeting(meetingId);
    assert.deepEqual(m.agenda.map((i) => i.kind), ['comment', 'comment', 'document', 'other']);
    await sec.agent.post(`/meetings/${meetingId}/agenda/${m.agenda[2]!._id}/move`).type('form').send(form({ direction: 'up' }, sec.csrf)).expect(303);
    await sec.agent.post(`/meetings/${meetingId}/agenda/${m.agenda[1]!._id}/remove`).type('form').send(form({}, sec.csrf)).expect(303);
    m = await storedMeeting(meetingId);
    assert.deepEqual(m.agenda.map((i) => String(i.comment ?? i.document ?? i.kind)), [referredId, approvedId, 'other']);
    // What was taken off is offered again.
    const again = cheerio.load((await sec.agent.get(`/meetings/${meetingId}`).expect(200)).text)('[data-test=candidates]');
    assert.equal(again.find(`input[name=ref][value="${otherReferredId}"]`).length, 1);
  });

  it('sends the agenda by e-mail with an iCalendar invitation, and a changed meeting goes out with a higher SEQUENCE and the same UID', async () => {
    await sec.agent.post(`/meetings/${meetingId}/send`).type('form').send(form({}, sec.csrf)).expect(303);
    await drainNotices();
    const mail = await testEnv().smtp.waitFor(memberRU.email, (x) => !!x.calendar);
    assert.match(mail.subject, /Заседание комитета 15\.12\.2026 10:00/);
    assert.match(mail.text, /Повестка дня:\n1\. /);
    const ics = parseIcs(mail.calendar!);
    assert.equal(one(ics, 'METHOD'), 'REQUEST');
    assert.equal(one(ics, 'SEQUENCE'), '0');
    assert.equal(one(ics, 'DTSTART'), '20261215T070000Z');
    assert.equal(one(ics, 'DTEND'), '20261215T083000Z');
    assert.equal(one(ics, 'SUMMARY'), 'Заседание ТК 3\\; итоги\\, планы');
    const uid = one(ics, 'UID');
    assert.equal(uid, `meeting-${meetingId}@accord.test`);
    const attendees = prop(ics, 'ATTENDEE').map((a) => a.value.toLowerCase());
    assert.ok(attendees.includes(`mailto:${memberBY.email}`) && attendees.includes(`mailto:${memberRU.email}`));
    assert.match(one(ics, 'DESCRIPTION'), /Повестка дня\\n1\. /);
    assert.equal(testEnv().smtp.countTo(secretariat.email) >= 1, true);
    // A participant who reads English gets the mail in English.
    const english = await testEnv().smtp.waitFor(memberBY.email, (x) => !!x.calendar);
    assert.match(english.subject, /^Committee meeting 15 December 2026, 10:00 \(UTC\+3\)/);
    assert.match(english.text, /Agenda:\n1\. /);

    // The time changes: the page says the invitation is out of date, and the next one replaces it.
    const m = await storedMeeting(meetingId);
    const edit = await sec.agent.get(`/meetings/${meetingId}/edit`).expect(200);
    assert.equal(cheerio.load(edit.text)('input[name=time]').val(), '10:00');
    await sec.agent
      .post(`/meetings/${meetingId}`)
      .type('form')
      .send(form({ version: m.version, title: m.title, day: '2026-12-15', time: '11:30', durationMinutes: 90, place: m.place ?? '', link: m.link ?? '', participants: m.participants.map((p) => String(p.user)), guests: m.guests.join('\n') }, sec.csrf))
      .expect(303);
    assert.equal((await sec.agent.post(`/meetings/${meetingId}`).type('form').send(form({ version: m.version, title: m.title, day: '2026-12-15', time: '12:00', durationMinutes: 90, participants: [memberBY.id] }, sec.csrf))).status, 409, 'an edit of an older version is refused');
    assert.equal(cheerio.load((await sec.agent.get(`/meetings/${meetingId}`).expect(200)).text)('[data-test=outdated]').length, 1);
    await sec.agent.post(`/meetings/${meetingId}/send`).type('form').send(form({}, sec.csrf)).expect(303);
    await drainNotices();
    const changed = await testEnv().smtp.waitFor(memberRU.email, (x) => !!x.calendar && /SEQUENCE:1/.test(x.calendar));
    assert.match(changed.subject, /^Изменено/);
    const ics2 = parseIcs(changed.calendar!);
    assert.equal(one(ics2, 'UID'), uid);
    assert.equal(one(ics2, 'DTSTART'), '20261215T083000Z');
  });

  it('a decision on a comment becomes its final disposition, with the meeting in its history, and keeps the reason rules', async () => {
    const m = await storedMeeting(meetingId);
    const item = m.agenda.find((i) => String(i.comment) === referredId)!;
    const refused = await sec.agent.post(`/meetings/${meetingId}/agenda/${item._id}/decision`).type('form').send(form({ disposition: 'rejected', text: '' }, sec.csrf));
    assert.equal(refused.status, 422);
    assert.equal((await storedComment(referredId)).disposition!.decision, 'referred', 'a refused decision changes nothing');
    assert.equal((await sec.agent.post(`/meetings/${meetingId}/agenda/${item._id}/decision`).type('form').send(form({ text: 'Принято' }, sec.csrf))).status, 422, 'a comment needs a disposition');

    await sec.agent.post(`/meetings/${meetingId}/agenda/${item._id}/decision`).type('form').send(form({ disposition: 'rejected', text: 'Станки с ЧПУ — предмет отдельного стандарта.' }, sec.csrf)).expect(303);
    const c = await storedComment(referredId);
    assert.equal(c.disposition!.decision, 'rejected');
    assert.equal(c.disposition!.reason, 'Станки с ЧПУ — предмет отдельного стандарта.');
    assert.equal(String(c.disposition!.meeting!.id), meetingId);
    assert.equal(c.disposition!.meeting!.day, '2026-12-15');
    assert.deepEqual(c.earlierDispositions!.map((d) => d.decision), ['referred']);

    const page = await sec.agent.get(`/documents/${docId}/comments/${referredId}`).expect(200);
    const $ = cheerio.load(page.text);
    assert.equal($('[data-test=decided-at-meeting]').text().trim(), 'Решено на заседании 15.12.2026');
    assert.match($('[data-test=earlier-dispositions]').text(), /Вынесено на обсуждение/);
    // No longer referred, it is no candidate for another meeting.
    const other = await sec.agent.post('/meetings').type('form').send(form({ title: 'Следующее заседание', day: '2027-01-20', time: '10:00', durationMinutes: 60, participants: [memberBY.id] }, sec.csrf)).expect(303);
    const next = cheerio.load((await sec.agent.get(other.headers.location!).expect(200)).text)('[data-test=candidates]');
    assert.equal(next.find(`input[name=ref][value="${referredId}"]`).length, 0);

    // Changed later on the comment's own page, the meeting page says so beside the meeting's decision.
    await sec.agent.post(`/documents/${docId}/comments/${referredId}/disposition`).type('form').send(form({ decision: 'noted' }, sec.csrf)).expect(303);
    const changed = cheerio.load((await sec.agent.get(`/meetings/${meetingId}`).expect(200)).text)('[data-test=changed-since]');
    assert.match(changed.text(), /теперь «Принято к сведению»/);
    await sec.agent.post(`/meetings/${meetingId}/agenda/${item._id}/decision`).type('form').send(form({ disposition: 'rejected', text: 'Станки с ЧПУ — предмет отдельного стандарта.' }, sec.csrf)).expect(303);
    assert.equal((await storedComment(referredId)).disposition!.decision, 'rejected');

    const docItem = m.agenda.find((i) => i.kind === 'document')!;
    assert.equal((await sec.agent.post(`/meetings/${meetingId}/agenda/${docItem._id}/decision`).type('form').send(form({ text: '' }, sec.csrf))).status, 422);
    await sec.agent.post(`/meetings/${meetingId}/agenda/${docItem._id}/decision`).type('form').send(form({ text: 'Опубликовать; срок введения — 01.07.2027.' }, sec.csrf)).expect(303);
  });

  it('makes the minutes as a PDF stored with the meeting, listing participants, items and decisions', async () => {
    await sec.agent.post(`/meetings/${meetingId}/minutes`).type('form').send(form({}, sec.csrf)).expect(303);
    const m = await storedMeeting(meetingId);
    assert.ok(m.minutes?.fileId);
    const member = await signIn(app, memberBY);
    const page = await member.agent.get(`/meetings/${meetingId}`).expect(200);
    assert.equal(cheerio.load(page.text)('[data-test=minutes-link]').attr('href'), `/meetings/${meetingId}/minutes.pdf`);
    const res = await member.agent.get(`/meetings/${meetingId}/minutes.pdf`).buffer(true).parse(binary).expect(200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    const text = pdfText(res.body as Buffer).replace(/\s+/g, ' ');
    assert.match(text, /Протокол заседания комитета/);
    assert.match(text, /15\.12\.2026 11:30 \(UTC\+3\)/);
    assert.ok(text.includes(memberBY.name) && text.includes(memberRU.name), 'the participants');
    assert.match(text, /Делегация BY/);
    assert.match(text, /Иванов И\. И\., БелГИСС/);
    assert.match(text, /Отклонено\. Станки с ЧПУ — предмет отдельного стандарта\./);
    assert.match(text, /Опубликовать; срок введения — 01\.07\.2027\./);
    assert.match(text, /Разное Решение: Решение не принято/);
    assert.ok(verapdfInstalled(), 'veraPDF is missing: run bash test/prepare-machine.sh');
    const results = await verapdf([pdfFile(res.body as Buffer)], '2b');
    assert.ok(results.length > 0 && results.every((r) => r.compliant), describeFailures(results));
  });

  it('is the committee’s: members see it, only the secretariat changes it, the public and manufacturers are told it is not found', async () => {
    const member = await signIn(app, memberRU);
    await member.agent.get('/meetings').expect(200);
    const page = await member.agent.get(`/meetings/${meetingId}`).expect(200);
    assert.equal(cheerio.load(page.text)('form[data-test=send]').length, 0, 'a member has no secretariat forms');
    assert.equal((await member.agent.post(`/meetings/${meetingId}/send`).type('form').send(form({}, member.csrf))).status, 403);
    assert.equal((await member.agent.get(`/meetings/${meetingId}/edit`)).status, 403);

    const maker = await signIn(app, await makeUser('manufacturer'));
    const anon = await anonymousAgent(app);
    for (const who of [maker, anon]) {
      for (const url of ['/meetings', `/meetings/${meetingId}`, `/meetings/${meetingId}/minutes.pdf`, `/meetings/${meetingId}/invitation.ics`]) {
        assert.equal((await who.agent.get(url)).status, 404, url);
      }
      assert.equal((await who.agent.post(`/meetings/${meetingId}/send`).type('form').send(form({}, who.csrf))).status, 404);
    }
    const nav = cheerio.load((await member.agent.get('/documents').expect(200)).text)('.main-nav a[href="/meetings"]');
    assert.equal(nav.length, 1, 'the committee has the link');
    assert.equal(cheerio.load((await maker.agent.get('/documents').expect(200)).text)('.main-nav a[href="/meetings"]').length, 0);
  });

  it('cancels on a page of its own and sends METHOD:CANCEL under the same UID', async () => {
    const confirm = await sec.agent.get(`/meetings/${meetingId}/cancel`).expect(200);
    assert.equal(cheerio.load(confirm.text)('form[data-test=cancel-form]').attr('action'), `/meetings/${meetingId}/cancel`);
    await sec.agent.post(`/meetings/${meetingId}/cancel`).type('form').send(form({ note: 'Перенос в связи с праздниками.' }, sec.csrf)).expect(303);
    await drainNotices();
    const mail = await testEnv().smtp.waitFor(memberRU.email, (x) => !!x.calendar && /METHOD:CANCEL/.test(x.calendar));
    assert.match((await testEnv().smtp.waitFor(memberBY.email, (x) => !!x.calendar && /METHOD:CANCEL/.test(x.calendar))).subject, /^Cancelled/);
    assert.match(mail.subject, /^Отменено/);
    assert.match(mail.text, /Перенос в связи с праздниками\./);
    const ics = parseIcs(mail.calendar!);
    assert.equal(one(ics, 'UID'), `meeting-${meetingId}@accord.test`);
    assert.equal(one(ics, 'SEQUENCE'), '2');
    assert.equal(one(ics, 'STATUS'), 'CANCELLED');
    const page = await sec.agent.get(`/meetings/${meetingId}`).expect(200);
    assert.equal(cheerio.load(page.text)('[data-test=cancelled]').length, 1);
    assert.equal((await sec.agent.post(`/meetings/${meetingId}/send`).type('form').send(form({}, sec.csrf))).status, 409, 'a cancelled meeting changes no more');
  });

  it('folds long lines at 75 octets without splitting a character and escapes text values', () => {
    const long = `DESCRIPTION:${escapeText('Повестка дня; пункт 1, пункт 2\nи так далее '.repeat(5))}`;
    const folded = foldLine(long);
    for (const line of folded.split('\r\n')) assert.ok(Buffer.byteLength(line, 'utf8') <= 75);
    assert.equal(folded.replace(/\r\n /g, ''), long);
    assert.equal(escapeText('a\\b;c,d\ne'), 'a\\\\b\\;c\\,d\\ne');
  });
});
