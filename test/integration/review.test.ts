// Systematic review (docs/review.md): the review date, the delegations' answers and the rule, the act and the
// action each outcome leads to, who may do what, and the act's PDF as a reader sees it (pdftotext).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import { csrfOf, signIn } from '../helpers/agent.js';
import { newTestSystem, testApp } from '../helpers/app.js';
import { actorOf, makeUser, type MadeUser } from '../helpers/factories.js';
import { binary, makePublishedDocument } from '../helpers/publishing.js';
import { afterReviewDate, reviewHeads, reviewThrough } from '../helpers/review.js';
import { eventsOf, storedDocument } from '../helpers/ballots.js';
import { ManualClock } from '../../server/time/clock.js';
import { addYears, agreedAnswer, answerReview, openReview, reviewDateOf, reviewOfDocument, startAmendmentFromReview, sweepReviews } from '../../server/review/service.js';
import { startAmendment } from '../../server/publishing/service.js';
import { dayOf } from '../../server/time/days.js';
import { Forbidden, InvalidTransition } from '../../server/errors.js';

const pdfText = (bytes: Buffer): string => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'accord-review-')), 'act.pdf');
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
};

describe('systematic review', function () {
  this.timeout(120_000);
  let secretary: MadeUser;
  let clock: ManualClock;
  let app: Express;

  before(async () => {
    secretary = await makeUser('secretariat');
    clock = new ManualClock(afterReviewDate());
    app = testApp({}, newTestSystem({ clock }));
  });

  it('dates the review the interval after the later entry into force, and shows it to committee people only', async () => {
    const { id, doc } = await makePublishedDocument({ title: 'Станки. Дата проверки' });
    const later = [doc.publication!.entryIntoForce.BY, doc.publication!.entryIntoForce.RU].map(String).sort()[1]!;
    assert.equal(reviewDateOf(doc, undefined, 5), addYears(later as never, 5));
    const member = await signIn(testApp(), await makeUser('member', { delegation: 'BY' }));
    const $ = cheerio.load((await member.agent.get(`/documents/${id}`).expect(200)).text);
    assert.match($('[data-test=review-date]').text(), new RegExp(addYears(later as never, 5).split('-').reverse().join('\\.')));
    const maker = await signIn(testApp(), await makeUser('manufacturer'));
    assert.equal(cheerio.load((await maker.agent.get(`/documents/${id}`).expect(200)).text)('[data-test=review-date]').length, 0);
    await maker.agent.get(`/documents/${id}/review`).expect(404);
    // Not due yet today: the secretariat may not open it; the page says from when it may, and nothing is opened.
    await assert.rejects(openReview(actorOf(secretary), id, new Date(Date.now() + 86400_000), new Date()), InvalidTransition);
    const sec = await signIn(testApp(), secretary);
    const page = await sec.agent.get(`/documents/${id}/review`).expect(200);
    const early = await sec.agent.post(`/documents/${id}/review/open`).type('form').send({ _csrf: csrfOf(page.text), closesDate: '2099-01-31' }).expect(409);
    assert.match(early.text, /Срок проверки ещё не подошёл: её можно начать с \d\d\.\d\d\.\d{4}/);
    assert.equal((await reviewOfDocument(actorOf(secretary), id, new Date())).current, undefined);
    // In English, the same page.
    await sec.agent.get('/locale/en');
    const en = await sec.agent.get(`/documents/${id}/review`).expect(200);
    assert.match(en.text, /Systematic review of the standard/);
    assert.match(en.text, /years after the standard's entry into force|years after the standard&#x27;s entry into force/);
  });

  it('refuses a closing time that is not a day, or an answer without a reason, keeping what was typed', async () => {
    const { id } = await makePublishedDocument({ title: 'Станки. Неверный ввод' });
    const sec = await signIn(app, secretary);
    const page = await sec.agent.get(`/documents/${id}/review`).expect(200);
    const bad = await sec.agent.post(`/documents/${id}/review/open`).type('form').send({ _csrf: csrfOf(page.text), closesDate: '2032-02-31' }).expect(422);
    assert.match(bad.text, /value="2032-02-31"/);
    assert.equal((await reviewOfDocument(actorOf(secretary), id, clock.now())).current, undefined);
    await sec.agent.post(`/documents/${id}/review/open`).type('form').send({ _csrf: csrfOf(page.text), closesDate: '2099-01-31' }).expect(303);
    const twice = await sec.agent.post(`/documents/${id}/review/open`).type('form').send({ _csrf: csrfOf(page.text), closesDate: '2099-01-31' }).expect(409);
    assert.match(twice.text, /Проверка этого стандарта уже идёт/);
    const early = await sec.agent.post(`/documents/${id}/review/act`).type('form').send({ _csrf: csrfOf(page.text) }).expect(409);
    assert.match(early.text, /Делегации ещё отвечают/);
  });

  it('confirmed by both delegations: the act records it and the next review is the interval after the act', async () => {
    const { id } = await makePublishedDocument({ title: 'Станки. Подтверждение' });
    const now = afterReviewDate();
    const r = await reviewThrough(id, secretary, { BY: 'confirm', RU: 'confirm' }, now, { act: {} });
    assert.equal(r!.status, 'done');
    assert.equal(r!.agreed, 'confirm');
    assert.equal(r!.outcome, 'confirm');
    assert.equal(r!.followUp?.nextReview, addYears(dayOf(new Date(now.getTime() + 2000)), 5));
    const state = await reviewOfDocument(actorOf(secretary), id, now);
    assert.equal(state.dueOn, r!.followUp?.nextReview);
    assert.equal(state.due, 'later');
    assert.equal((await storedDocument(id)).state, 'published');
    const actions = (await eventsOf(id, 'reviewOpen', 'reviewAnswer', 'reviewClose', 'reviewAct')).map((e) => e.action);
    assert.deepEqual(actions, ['reviewOpen', 'reviewAnswer', 'reviewAnswer', 'reviewClose', 'reviewAct']);
  });

  it('revise: the act starts the successor draft that will supersede the standard', async () => {
    const { id } = await makePublishedDocument({ title: 'Станки. Пересмотр' });
    const r = await reviewThrough(id, secretary, { BY: 'revise', RU: 'revise' }, afterReviewDate(), { act: {} });
    const successor = String(r!.followUp?.successor);
    assert.ok(successor && successor !== 'undefined');
    const draft = await storedDocument(successor);
    assert.equal(draft.state, 'draft');
    assert.equal(String(draft.supersedes), id);
    assert.equal((await storedDocument(id)).state, 'published');
  });

  it('withdraw: the act withdraws the standard with the review as its reason', async () => {
    const { id } = await makePublishedDocument({ title: 'Станки. Отмена' });
    const r = await reviewThrough(id, secretary, { BY: 'withdraw', RU: 'withdraw' }, afterReviewDate(), { act: {} });
    const doc = await storedDocument(id);
    assert.equal(doc.state, 'withdrawn');
    assert.match(doc.withdrawal!.reason, /акт проверки №1: стандарт подлежит отмене/);
    assert.equal(r!.followUp?.withdrawnOn, doc.withdrawal!.date);
    assert.equal(r!.followUp?.nextReview ?? null, null);
  });

  it('amend: the act starts the draft of an amendment, names it, and finds the same draft when drawn up again', async () => {
    const { id } = await makePublishedDocument({ title: 'Станки. Изменение' });
    const r = await reviewThrough(id, secretary, { BY: 'amend', RU: 'amend' }, afterReviewDate(), { act: {} });
    assert.equal(r!.outcome, 'amend');
    const amendment = String(r!.followUp?.amendment);
    const draft = await storedDocument(amendment);
    assert.equal(draft.state, 'draft');
    assert.equal(String(draft.amends), id);
    assert.equal((await storedDocument(id)).state, 'published');
    // Drawn up again (a retry after a crash): the id on the review names the same draft, no second one.
    const again = await startAmendmentFromReview(actorOf(secretary), await storedDocument(id), r!, clock.now());
    assert.equal(String(again.amendment), amendment);
    const sec = await signIn(app, secretary);
    const page = cheerio.load((await sec.agent.get(`/documents/${id}/review`).expect(200)).text);
    assert.equal(page('[data-test=review-amendment]').attr('href'), `/documents/${amendment}`);
    assert.match(page('[data-test=review-follow-up]').text(), /Подготавливается изменение к стандарту/);
  });

  it('amend, with an amendment already started from the standard’s page: the act names that one', async () => {
    const { id } = await makePublishedDocument({ title: 'Станки. Изменение начато' });
    const started = await startAmendment(actorOf(secretary), id, { now: clock.now() });
    const r = await reviewThrough(id, secretary, { BY: 'amend', RU: 'amend' }, afterReviewDate(), { act: {} });
    assert.equal(String(r!.followUp?.amendment), String(started._id));
  });

  it('different answers are a disagreement: the secretariat must choose the outcome and give a reason, on the act page', async () => {
    const { id } = await makePublishedDocument({ title: 'Станки. Разногласие' });
    await reviewThrough(id, secretary, { BY: 'confirm', RU: 'withdraw' }, clock.now());
    const sec = await signIn(app, secretary);
    const page = await sec.agent.get(`/documents/${id}/review/act`).expect(200);
    assert.equal(cheerio.load(page.text)('[data-test=act-disagreement]').length, 1);
    const refused = await sec.agent.post(`/documents/${id}/review/act`).type('form').send({ _csrf: csrfOf(page.text), outcome: 'revise' }).expect(422);
    assert.match(refused.text, /Изложите обоснование/);
    assert.equal((await reviewOfDocument(actorOf(secretary), id, clock.now())).current?.status, 'closed');
    await sec.agent.post(`/documents/${id}/review/act`).type('form').send({ _csrf: csrfOf(page.text), outcome: 'confirm', reason: 'Стандарт применяется, замечания RU учтём при следующей проверке' }).expect(303);
    const done = (await reviewOfDocument(actorOf(secretary), id, clock.now())).done[0]!;
    assert.equal(done.agreed, null);
    assert.equal(done.outcome, 'confirm');
    assert.equal(done.decisionReason, 'Стандарт применяется, замечания RU учтём при следующей проверке');

    // The act, as a reader of the PDF sees it: the standard, both answers with reasons, the disagreement, the decision, the follow-up.
    const res = await sec.agent.get(`/documents/${id}/review/1/act.pdf`).buffer(true).parse(binary).expect(200).expect('Content-Type', /application\/pdf/);
    const text = pdfText(res.body as Buffer);
    for (const s of ['Акт проверки стандарта', done.designation, 'Делегация BY', 'подтвердить', 'BY: причина ответа confirm', 'Делегация RU', 'отменить', 'RU: причина ответа withdraw', 'Разногласие', 'стандарт подтверждён', 'замечания RU учтём', 'Следующая проверка']) assert.ok(text.includes(s), `${s} in: ${text}`);
    // Committee people download it; a manufacturer is told it does not exist.
    const member = await signIn(app, await makeUser('member', { delegation: 'RU' }));
    await member.agent.get(`/documents/${id}/review/1/act.pdf`).expect(200);
    const maker = await signIn(app, await makeUser('manufacturer'));
    await maker.agent.get(`/documents/${id}/review/1/act.pdf`).expect(404);
  });

  it('the sweep closes a review at its closing time; a silent delegation makes a disagreement', async () => {
    const { id } = await makePublishedDocument({ title: 'Станки. Молчание' });
    const now = afterReviewDate();
    await reviewThrough(id, secretary, { BY: 'confirm' }, now);
    assert.equal((await sweepReviews(new Date(now.getTime() + 86400_000))).closed, 0);
    assert.ok((await sweepReviews(new Date(now.getTime() + 31 * 86400_000))).closed >= 1);
    const r = (await reviewOfDocument(actorOf(secretary), id, now)).current!;
    assert.equal(r.status, 'closed');
    assert.equal(r.closedBecause, 'deadline');
    assert.equal(r.agreed, null);
  });

  it('only heads answer, with a reason; a member or the secretariat may not; a changed answer replaces the earlier one', async () => {
    const { id } = await makePublishedDocument({ title: 'Станки. Кто отвечает' });
    const now = clock.now();
    await openReview(actorOf(secretary), id, new Date(now.getTime() + 30 * 86400_000), now);
    await assert.rejects(answerReview(actorOf(await makeUser('member', { delegation: 'BY' })), id, { answer: 'confirm', reason: 'x' }, now), Forbidden);
    await assert.rejects(answerReview(actorOf(secretary), id, { answer: 'confirm', reason: 'x' }, now), Forbidden);
    const heads = await reviewHeads();
    const head = await signIn(app, heads.BY);
    const page = await head.agent.get(`/documents/${id}/review`).expect(200);
    const noReason = await head.agent.post(`/documents/${id}/review/answer`).type('form').send({ _csrf: csrfOf(page.text), answer: 'revise', reason: ' ' }).expect(422);
    assert.match(noReason.text, /revise" checked/);
    await head.agent.post(`/documents/${id}/review/answer`).type('form').send({ _csrf: csrfOf(page.text), answer: 'revise', reason: 'Устарели методы' }).expect(303);
    const api = await head.agent.post(`/api/documents/${id}/review/answer`).set('X-CSRF-Token', csrfOf(page.text)).send({ answer: 'confirm', reason: 'Передумали' }).expect(200);
    assert.equal(api.body.current.answers.length, 1);
    assert.equal(api.body.current.answers[0].answer, 'confirm');
    assert.equal(api.body.closed, false);
    // The second delegation's answer completes the review: agreed answers close it.
    const ru = await signIn(app, heads.RU);
    const res = await ru.agent.post(`/api/documents/${id}/review/answer`).set('X-CSRF-Token', ru.csrf).send({ answer: 'confirm', reason: 'Применяется' }).expect(200);
    assert.equal(res.body.closed, true);
    assert.equal(res.body.current.agreed, 'confirm');
  });

  it('the rule: the same answer of every entitled delegation, nothing else', () => {
    const a = (delegation: string, answer: 'confirm' | 'revise') => ({ delegation, answer });
    assert.equal(agreedAnswer([a('BY', 'confirm'), a('RU', 'confirm')], ['BY', 'RU']), 'confirm');
    assert.equal(agreedAnswer([a('BY', 'confirm'), a('RU', 'revise')], ['BY', 'RU']), null);
    assert.equal(agreedAnswer([a('BY', 'confirm')], ['BY', 'RU']), null);
    assert.equal(agreedAnswer([], []), null);
    assert.equal(addYears('2028-02-29' as never, 5), '2033-02-28');
  });

  it('lists due and soon due reviews for the secretariat and the open review for a head on the home page', async () => {
    const { id } = await makePublishedDocument({ title: 'Станки. Главная' });
    const sec = await signIn(app, secretary);
    const home = cheerio.load((await sec.agent.get('/').expect(200)).text);
    const mine = home('[data-test=needs] li').toArray().find((li) => home(li).find('a').attr('href') === `/documents/${id}/review`);
    assert.ok(mine);
    assert.match(home(mine).text(), /Срок систематической проверки .* наступил/);
    await openReview(actorOf(secretary), id, new Date(clock.now().getTime() + 30 * 86400_000), clock.now());
    const head = await signIn(app, await makeUser('head', { delegation: 'RU' }));
    const h = cheerio.load((await head.agent.get('/').expect(200)).text);
    assert.ok(h('[data-test=needs] li a').toArray().some((x) => h(x).attr('href') === `/documents/${id}/review` && /Ответьте на систематическую проверку/.test(h(x).closest('li').text())));
  });
});
