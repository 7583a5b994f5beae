// The parts that work from the pages also work from the JSON API (docs/comments-api.md, docs/answers.md,
// docs/meetings.md, docs/amendments.md, docs/review.md): each operation calls the page's service, so that
// its rules hold through the API — a bad body is refused with a message and changes nothing, a refused
// state is 409.
import assert from 'node:assert/strict';
import type { Express } from 'express';
import request from 'supertest';
import { setDisposition } from '../../server/comments/dispositions.js';
import { addItem } from '../../server/meetings/service.js';
import { Meeting, type MeetingRecord } from '../../server/meetings/model.js';
import { editClauses, getRevision } from '../../server/documents/index.js';
import { testEnv } from '../helpers/env.js';
import { makePublishedDocument } from '../helpers/publishing.js';
import { makeCirculatedDocument } from '../helpers/factories.js';
import { afterReviewDate, reviewHeads } from '../helpers/review.js';
import { newTestSystem } from '../helpers/app.js';
import { ManualClock } from '../../server/time/clock.js';
import { addDays, dayOf } from '../../server/time/days.js';
import { Review } from '../../server/review/model.js';
import { tokenFor } from '../helpers/agent.js';
import { testApp, transition } from '../helpers/app.js';
import { actorOf, makeUser } from '../helpers/factories.js';
import { releaseAs, roundOfComments, storedComment, uniqueTitle, writeComment } from '../helpers/comments.js';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('the commenter’s answer through the API', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });

  async function disposedRound(close = true) {
    const r = await roundOfComments(uniqueTitle('Станки фрезерные'));
    const by = await writeComment(r.id, r.members.BY, { clauseKey: 'scope', text: 'Уточнить область применения.' });
    const ru = await writeComment(r.id, r.members.RU, { clauseKey: 'scope', text: 'Добавить ссылку на ГОСТ.' });
    const heads = { BY: await releaseAs(r.id, 'BY'), RU: await releaseAs(r.id, 'RU') };
    const sec = actorOf(r.secretariat);
    await setDisposition(sec, String(by._id), { decision: 'rejected', reason: 'Область применения согласована ранее.' }, new Date());
    await setDisposition(sec, String(ru._id), { decision: 'accepted' }, new Date());
    if (close) await transition(sec, r.id, 'closeComments', { now: new Date() });
    return { ...r, heads, by: String(by._id), ru: String(ru._id) };
  }

  it('records the head’s answer and shows it in the comment’s JSON; a changed answer replaces it', async () => {
    const f = await disposedRound();
    const token = await tokenFor(f.heads.BY);
    const url = `/api/documents/${f.id}/comments/${f.by}/answer`;
    const res = await request(app).post(url).set(bearer(token)).send({ agreed: false, reason: 'Область не охватывает станки с ЧПУ.' }).expect(200);
    assert.equal(res.body.answer.agreed, false);
    assert.equal(res.body.answer.reason, 'Область не охватывает станки с ЧПУ.');
    assert.equal(res.body.answer.byName, f.heads.BY.name);
    const read = await request(app).get(`/api/documents/${f.id}/comments/${f.by}`).set(bearer(await tokenFor(f.secretariat))).expect(200);
    assert.equal(read.body.answer.agreed, false);
    const again = await request(app).post(url).set(bearer(token)).send({ agreed: true }).expect(200);
    assert.equal(again.body.answer.agreed, true);
    assert.equal(again.body.answer.reason, null);
    assert.equal(((await storedComment(f.by)).answers ?? []).length, 2);
  });

  it('refuses a bad body with 422 and a message, “not agreed” without a reason too, and changes nothing', async () => {
    const f = await disposedRound();
    const token = await tokenFor(f.heads.BY);
    const url = `/api/documents/${f.id}/comments/${f.by}/answer`;
    for (const body of [{}, { agreed: 'yes' }, { agreed: true, extra: 1 }, { agreed: false }, { agreed: false, reason: '   ' }]) {
      const res = await request(app).post(url).set(bearer(token)).send(body);
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.ok(res.body.error.message, JSON.stringify(body));
    }
    const stored = await storedComment(f.by);
    assert.equal(stored.answer ?? null, null);
    assert.equal((stored.answers ?? []).length, 0);
  });

  it('refuses with 409 before the dispositions are published, 403 for another delegation’s comment or a member', async () => {
    const f = await disposedRound(false);
    const refused = await request(app).post(`/api/documents/${f.id}/comments/${f.by}/answer`).set(bearer(await tokenFor(f.heads.BY))).send({ agreed: true }).expect(409);
    assert.ok(refused.body.error.message);
    await request(app).post(`/api/documents/${f.id}/comments/${f.by}/answer`).set(bearer(await tokenFor(f.heads.RU))).send({ agreed: true }).expect(403);
    await request(app).post(`/api/documents/${f.id}/comments/${f.by}/answer`).set(bearer(await tokenFor(f.members.BY))).send({ agreed: true }).expect(403);
    assert.equal((await storedComment(f.by)).answer ?? null, null);
  });
});

describe('the disposition report through the API', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });

  it('gives every round’s released comments with the disposition, the earlier ones, the answer and the links', async () => {
    const r = await roundOfComments(uniqueTitle('Станки токарные'));
    const c = await writeComment(r.id, r.members.BY, { clauseKey: 'scope', text: 'Уточнить область применения.' });
    await writeComment(r.id, r.members.RU, { clauseKey: 'scope', text: 'Внутреннее замечание, не выпущенное.' });
    const head = await releaseAs(r.id, 'BY');
    const sec = actorOf(r.secretariat);
    await setDisposition(sec, String(c._id), { decision: 'referred' }, new Date(Date.now() - 60_000));
    await setDisposition(sec, String(c._id), { decision: 'rejected', reason: 'Согласовано ранее.' }, new Date());
    await transition(sec, r.id, 'closeComments', { now: new Date() });
    await request(app).post(`/api/documents/${r.id}/comments/${c._id}/answer`).set(bearer(await tokenFor(head))).send({ agreed: false, reason: 'Не согласны.' }).expect(200);

    const res = await request(app).get(`/api/documents/${r.id}/disposition-report`).set(bearer(await tokenFor(r.members.RU))).expect(200);
    assert.equal(res.body.document, r.id);
    assert.equal(res.body.total, 1, 'released comments only');
    assert.deepEqual(res.body.rounds.map((x: { round: number }) => x.round), [1]);
    const row = res.body.rounds[0].comments[0];
    assert.equal(row.id, String(c._id));
    assert.equal(row.delegation, 'BY');
    assert.equal(row.disposition.decision, 'rejected');
    assert.equal(row.disposition.reason, 'Согласовано ранее.');
    assert.deepEqual(row.earlier.map((e: { decision: string }) => e.decision), ['referred']);
    assert.equal(row.answer.agreed, false);
    assert.equal(row.answer.reason, 'Не согласны.');
    assert.equal(row.applied, null);
    assert.equal(res.body.links.pdf, `/documents/${r.id}/disposition-report.pdf`);
  });

  it('is the committee’s: a manufacturer is refused, an unknown document is not found', async () => {
    const r = await roundOfComments(uniqueTitle('Станки строгальные'));
    await request(app).get(`/api/documents/${r.id}/disposition-report`).set(bearer(await tokenFor(await makeUser('manufacturer')))).expect(403);
    await request(app).get(`/api/documents/${'0'.repeat(24)}/disposition-report`).set(bearer(await tokenFor(r.secretariat))).expect(404);
    await request(app).get(`/api/documents/${r.id}/disposition-report`).expect(401);
  });
});

describe('meetings through the API', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });

  const schedule = (token: string, body: Record<string, unknown>) => request(app).post('/api/meetings').set(bearer(token)).send(body);

  it('lets the secretariat schedule a meeting in committee time, shows it to the committee, and not to a manufacturer', async () => {
    const sec = await makeUser('secretariat');
    const member = await makeUser('member', { delegation: 'BY' });
    const token = await tokenFor(sec);
    const res = await schedule(token, { title: 'Заседание ТК', day: '2026-12-15', time: '10:00', durationMinutes: 90, place: 'Минск', participants: [member.id, sec.id], guests: ['Иванов И. И., БелГИСС'] }).expect(201);
    assert.equal(res.headers.location, `/api/meetings/${res.body.id}`);
    assert.equal(res.body.startsAt, '2026-12-15T07:00:00.000Z', '10:00 in committee time (UTC+3)');
    assert.deepEqual(res.body.participants.map((p: { id: string }) => p.id).sort(), [member.id, sec.id].sort());
    assert.deepEqual(res.body.guests, ['Иванов И. И., БелГИСС']);
    assert.deepEqual(res.body.agenda, []);
    assert.equal(res.body.links.minutes, null);

    const memberToken = await tokenFor(member);
    const one = await request(app).get(`/api/meetings/${res.body.id}`).set(bearer(memberToken)).expect(200);
    assert.equal(one.body.title, 'Заседание ТК');
    assert.equal(one.body.can.edit, false);
    const list = await request(app).get('/api/meetings').set(bearer(memberToken)).expect(200);
    assert.ok(list.body.meetings.some((m: { id: string }) => m.id === res.body.id));
    const maker = await tokenFor(await makeUser('manufacturer'));
    await request(app).get('/api/meetings').set(bearer(maker)).expect(404);
    await request(app).get(`/api/meetings/${res.body.id}`).set(bearer(maker)).expect(404);
    await request(app).get('/api/meetings').expect(401);
    await schedule(memberToken, { title: 'x', day: '2026-12-15', time: '10:00', durationMinutes: 90, participants: [member.id] }).expect(403);
  });

  it('refuses a bad meeting with 422 and a message, changing nothing', async () => {
    const sec = await makeUser('secretariat');
    const token = await tokenFor(sec);
    const ok = { title: 'Заседание', day: '2026-12-15', time: '10:00', durationMinutes: 60, participants: [sec.id] };
    const before = await Meeting.countDocuments();
    for (const body of [{}, { ...ok, day: '2026-02-30' }, { ...ok, time: '25:00' }, { ...ok, durationMinutes: 5 }, { ...ok, participants: [] }, { ...ok, participants: ['0'.repeat(24)] }, { ...ok, link: 'ftp://x' }, { ...ok, extra: 1 }]) {
      const res = await schedule(token, body);
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.ok(res.body.error.message, JSON.stringify(body));
    }
    assert.equal(await Meeting.countDocuments(), before);
  });

  it('records a decision on a referred comment as its disposition, as the page does; refuses a bad one, and any on a cancelled meeting', async () => {
    const r = await roundOfComments(uniqueTitle('Станки лазерные'));
    const c = await writeComment(r.id, r.members.BY, { clauseKey: 'scope', text: 'Расширить область применения.' });
    await releaseAs(r.id, 'BY');
    const sec = actorOf(r.secretariat);
    await transition(sec, r.id, 'closeComments', { now: new Date() });
    await setDisposition(sec, String(c._id), { decision: 'referred', observation: 'Обсудить на заседании' }, new Date());
    const token = await tokenFor(r.secretariat);
    const m = (await schedule(token, { title: 'Заседание', day: '2026-12-15', time: '10:00', durationMinutes: 60, participants: [r.secretariat.id] }).expect(201)).body;
    await addItem(sec, m.id, { kind: 'comment', comment: String(c._id) });
    await addItem(sec, m.id, { kind: 'other', title: 'Разное' });
    const stored = (await Meeting.findById(m.id).lean<MeetingRecord>())!;
    const [commentItem, otherItem] = stored.agenda.map((i) => String(i._id));
    const decide = (body: Record<string, unknown>) => request(app).post(`/api/meetings/${m.id}/decisions`).set(bearer(token)).send(body);

    for (const body of [{}, { item: commentItem }, { item: commentItem, disposition: 'rejected' }, { item: commentItem, disposition: 'referred' }, { item: otherItem }, { item: commentItem, disposition: 'noted', extra: 1 }]) {
      const res = await decide(body);
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.ok(res.body.error.message);
    }
    await decide({ item: '0'.repeat(24), text: 'Решено.' }).expect(404);
    assert.equal((await storedComment(c._id)).disposition!.decision, 'referred', 'a refused decision changes nothing');
    assert.equal((await Meeting.findById(m.id).lean<MeetingRecord>())!.agenda.every((i) => !i.decision), true);

    const res = await decide({ item: commentItem, disposition: 'rejected', text: 'Область применения согласована ранее.' }).expect(200);
    assert.equal(res.body.agenda[0].decision.disposition, 'rejected');
    assert.equal(res.body.agenda[0].currentDisposition, 'rejected');
    const comment = await storedComment(c._id);
    assert.equal(comment.disposition!.decision, 'rejected');
    assert.equal(comment.disposition!.meeting!.day, '2026-12-15');
    assert.deepEqual(comment.earlierDispositions!.map((d) => d.decision), ['referred']);
    await decide({ item: otherItem, text: 'Принять к сведению.' }).expect(200);
    await request(app).post(`/api/meetings/${m.id}/decisions`).set(bearer(await tokenFor(r.members.BY))).send({ item: otherItem, text: 'x' }).expect(403);

    await Meeting.updateOne({ _id: m.id }, { $set: { status: 'cancelled' } });
    const refused = await decide({ item: otherItem, text: 'Иначе.' }).expect(409);
    assert.ok(refused.body.error.message);
  });
});

describe('amendments through the API', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });

  it('starts an amendment of a published standard (201 with Location), refuses a second with 409, and lists its changes in the document’s JSON', async () => {
    const standard = await makePublishedDocument();
    const token = await tokenFor(standard.by);
    const res = await request(app).post(`/api/documents/${standard.id}/amendment`).set(bearer(token)).expect(201);
    assert.equal(res.headers.location, `/api/documents/${res.body.id}`);
    assert.equal(res.body.amends, standard.id);
    assert.equal(res.body.state, 'draft');
    const again = await request(app).post(`/api/documents/${standard.id}/amendment`).set(bearer(token)).expect(409);
    assert.ok(again.body.error.message);

    let doc = (await request(app).get(`/api/documents/${res.body.id}`).set(bearer(token)).expect(200)).body;
    assert.deepEqual(doc.amendment, { amends: standard.id, amendsRevision: res.body.amendsRevision, number: null, changes: [] });
    const rev = await getRevision({ _id: res.body.id as never }, 1);
    await editClauses(actorOf(standard.by), testEnv().templates, res.body.id, rev.version, { type: 'update', key: 'scope', patch: { body: 'Настоящий стандарт распространяется на все изделия.' } }, new Date());
    doc = (await request(app).get(`/api/documents/${res.body.id}`).set(bearer(token)).expect(200)).body;
    assert.deepEqual(doc.amendment.changes.map((c: { type: string; key: string }) => [c.type, c.key]), [['replace', 'scope']]);
    assert.equal(doc.amendment.changes[0].clause.body, 'Настоящий стандарт распространяется на все изделия.');
    assert.equal((await request(app).get(`/api/documents/${standard.id}`).set(bearer(token)).expect(200)).body.amendment, null, 'a standard is no amendment');
  });

  it('refuses a document that is not a published standard with 409, anyone but the secretariat with 403', async () => {
    const draft = await makeCirculatedDocument();
    const refused = await request(app).post(`/api/documents/${draft.id}/amendment`).set(bearer(await tokenFor(draft.by))).expect(409);
    assert.ok(refused.body.error.message);
    const standard = await makePublishedDocument();
    await request(app).post(`/api/documents/${standard.id}/amendment`).set(bearer(await tokenFor(await makeUser('head', { delegation: 'BY' })))).expect(403);
    await request(app).post(`/api/documents/${'0'.repeat(24)}/amendment`).set(bearer(await tokenFor(standard.by))).expect(404);
  });
});

describe('the systematic review, secretariat side, through the API', () => {
  let app: Express;
  let clock: ManualClock;
  before(() => {
    clock = new ManualClock(afterReviewDate());
    app = testApp({}, newTestSystem({ clock }));
  });

  it('opens the review of a due standard (201), refuses a bad body (422) and a second opening (409), changing nothing', async () => {
    const standard = await makePublishedDocument();
    const token = await tokenFor(standard.by);
    const open = (body: unknown) => request(app).post(`/api/documents/${standard.id}/review/open`).set(bearer(token)).send(body as object);
    for (const body of [{}, { closesDate: '2031-02-30' }, { closesDate: dayOf(clock.now()), closesTime: '24:00' }, { closesDate: addDays(dayOf(clock.now()), -1) }, { closesDate: dayOf(clock.now()), extra: 1 }]) {
      const res = await open(body);
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.ok(res.body.error.message);
    }
    assert.equal(await Review.countDocuments({ document: standard.id }), 0);
    const res = await open({ closesDate: addDays(dayOf(clock.now()), 30), closesTime: '18:00' }).expect(201);
    assert.equal(res.body.current.status, 'open');
    assert.equal(res.body.current.closesAt, new Date(`${addDays(dayOf(clock.now()), 30)}T15:00:00Z`).toISOString(), '18:00 committee time');
    const again = await open({ closesDate: addDays(dayOf(clock.now()), 30) }).expect(409);
    assert.ok(again.body.error.message);
    await request(app).post(`/api/documents/${standard.id}/review/open`).set(bearer(await tokenFor(await makeUser('head', { delegation: 'BY' })))).send({ closesDate: addDays(dayOf(clock.now()), 30) }).expect(403);
    const draft = await makeCirculatedDocument();
    await request(app).post(`/api/documents/${draft.id}/review/open`).set(bearer(await tokenFor(draft.by))).send({ closesDate: addDays(dayOf(clock.now()), 30) }).expect(409);
  });

  it('draws up the act once the review has closed: the outcome and its reason when the delegations disagreed', async () => {
    const standard = await makePublishedDocument();
    const token = await tokenFor(standard.by);
    const act = (body: unknown) => request(app).post(`/api/documents/${standard.id}/review/act`).set(bearer(token)).send(body as object);
    await request(app).post(`/api/documents/${standard.id}/review/open`).set(bearer(token)).send({ closesDate: addDays(dayOf(clock.now()), 30) }).expect(201);
    const refused = await act({ outcome: 'confirm', reason: 'Рано.' }).expect(409);
    assert.ok(refused.body.error.message, 'not while the review is open');
    const heads = await reviewHeads();
    await request(app).post(`/api/documents/${standard.id}/review/answer`).set(bearer(await tokenFor(heads.BY))).send({ answer: 'confirm', reason: 'Стандарт актуален.' }).expect(200);
    const closed = await request(app).post(`/api/documents/${standard.id}/review/answer`).set(bearer(await tokenFor(heads.RU))).send({ answer: 'revise', reason: 'Требования устарели.' }).expect(200);
    assert.equal(closed.body.current.status, 'closed');
    for (const body of [{}, { outcome: 'confirm' }, { outcome: 'maybe', reason: 'x' }, { outcome: 'confirm', reason: 'x', extra: 1 }]) {
      const res = await act(body);
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.ok(res.body.error.message);
    }
    assert.equal((await Review.findOne({ document: standard.id }).lean<{ outcome?: string | null }>())!.outcome ?? null, null, 'a refused act changes nothing');
    const res = await act({ outcome: 'confirm', reason: 'Требования остаются в силе до пересмотра группы.' }).expect(200);
    assert.equal(res.body.current, null);
    assert.equal(res.body.done[0].outcome, 'confirm');
    assert.equal(res.body.done[0].decisionReason, 'Требования остаются в силе до пересмотра группы.');
    assert.ok(res.body.done[0].nextReview);
    assert.match(res.body.done[0].act, /act\.pdf$/);
    await act({ outcome: 'confirm', reason: 'Ещё раз.' }).expect(409);
  });
});
