// The commenter's answer (docs/answers.md): after the comment period of a round
// closes, each delegation's head answers the secretariat's dispositions on the delegation's comments —
// agreed, or not agreed with a reason — until the ballot opens; the summary, its exports, the home page,
// the document page and the ballot page show what follows from it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import ExcelJS from 'exceljs';
import { castVote } from '../../server/ballots/service.js';
import { setDisposition } from '../../server/comments/dispositions.js';
import { ManualClock } from '../../server/time/clock.js';
import request from 'supertest';
import { signIn, tokenFor, type Agent } from '../helpers/agent.js';
import { newTestSystem, testApp, testSystem, transition } from '../helpers/app.js';
import { actorOf, makeUser, type MadeUser } from '../helpers/factories.js';
import { inDays } from '../helpers/publishing.js';
import { alertOf, binaryParser, parseCsv, releaseAs, roundOfComments, storedComment, uniqueTitle, writeComment } from '../helpers/comments.js';

const day = 86_400_000;

interface Fixture {
  id: string;
  secretariat: MadeUser;
  heads: { BY: MadeUser; RU: MadeUser };
  members: { BY: MadeUser; RU: MadeUser };
  /** BY's two comments and RU's one, each with a disposition. */
  by: [string, string];
  ru: string;
}

/** A round with released comments of both delegations, each disposed by the secretariat; comments still open unless `close`. */
async function disposedRound(opts: { close?: boolean } = {}): Promise<Fixture> {
  const r = await roundOfComments(uniqueTitle('Станки фрезерные'));
  const by1 = await writeComment(r.id, r.members.BY, { clauseKey: 'scope', text: 'Уточнить область применения.' });
  const by2 = await writeComment(r.id, r.members.BY, { clauseKey: 'scope', text: 'Исключить станки с ЧПУ.', type: 'ge' });
  const ru1 = await writeComment(r.id, r.members.RU, { clauseKey: 'scope', text: 'Добавить ссылку на ГОСТ.' });
  const heads = { BY: await releaseAs(r.id, 'BY'), RU: await releaseAs(r.id, 'RU') };
  const sec = actorOf(r.secretariat);
  await setDisposition(sec, String(by1._id), { decision: 'rejected', reason: 'Область применения согласована ранее.' }, new Date());
  await setDisposition(sec, String(by2._id), { decision: 'accepted' }, new Date());
  await setDisposition(sec, String(ru1._id), { decision: 'accepted' }, new Date());
  if (opts.close !== false) await transition(sec, r.id, 'closeComments', { now: new Date() });
  return { id: r.id, secretariat: r.secretariat, heads, members: r.members, by: [String(by1._id), String(by2._id)], ru: String(ru1._id) };
}

const openBallot = (f: Fixture) => transition(actorOf(f.secretariat), f.id, 'openBallot', { now: new Date(), closesAt: new Date(Date.now() + 14 * day) });

describe('the commenter’s answer to the dispositions', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });

  const form = (s: { agent: Agent; csrf: string }, url: string, fields: Record<string, string> = {}) => s.agent.post(url).type('form').send({ _csrf: s.csrf, ...fields });
  const answer = (s: { agent: Agent; csrf: string }, f: Fixture, commentId: string, fields: Record<string, string>) => form(s, `/documents/${f.id}/answers/${commentId}`, fields);
  const text = (s: string) => s.replace(/\s+/g, ' ').trim();

  describe('who may answer, and when', () => {
    it('lets the delegation’s head record “not agreed” with a reason and change it, keeping each answer with who and when (the injected clock)', async () => {
      const clock = new ManualClock(new Date());
      const clocked = testApp({}, newTestSystem({ clock }));
      const f = await disposedRound();
      const head = await signIn(clocked, f.heads.BY);
      const first = clock.now();
      const res = await answer(head, f, f.by[0], { agreed: 'no', reason: 'Область применения не охватывает станки с ЧПУ.' }).expect(303);
      assert.equal(res.headers.location, `/documents/${f.id}/answers?saved=${f.by[0]}#answer-${f.by[0]}`);
      let stored = await storedComment(f.by[0]);
      assert.equal(stored.answer?.agreed, false);
      assert.equal(stored.answer?.reason, 'Область применения не охватывает станки с ЧПУ.');
      assert.equal(stored.answer?.byName, f.heads.BY.name);
      assert.equal(stored.answer?.at.getTime(), first.getTime());
      assert.equal(stored.answer?.dispositionAt?.getTime(), stored.disposition?.at.getTime(), 'the answer names the disposition it answered');

      clock.advance(3_600_000);
      await answer(head, f, f.by[0], { agreed: 'yes', reason: 'не сохраняется' }).expect(303);
      // The same answer again (a double click) adds nothing.
      await answer(head, f, f.by[0], { agreed: 'yes' }).expect(303);
      stored = await storedComment(f.by[0]);
      assert.equal(stored.answer?.agreed, true);
      assert.equal(stored.answer?.reason, null, 'an agreement keeps no reason');
      assert.deepEqual(stored.answers?.map((a) => [a.agreed, a.at.getTime(), a.byName]), [[false, first.getTime(), f.heads.BY.name], [true, first.getTime() + 3_600_000, f.heads.BY.name]]);

      const $ = cheerio.load((await head.agent.get(`/documents/${f.id}/answers`).expect(200)).text);
      const item = $(`[data-test=answer-item][data-comment=${f.by[0]}]`);
      assert.match(text(item.find('[data-test=current-answer]').text()), /Делегация согласна/);
      assert.deepEqual(item.find('[data-test=answer-history] li').toArray().map((li) => text($(li).text())).map((t) => t.replace(/^\S+ \S+ \(UTC\+3\) /, '')), [
        `${f.heads.BY.name}: Делегация согласна`,
        `${f.heads.BY.name}: Делегация не согласна: Область применения не охватывает станки с ЧПУ.`,
      ]);
    });

    it('refuses a member, the other delegation’s head and the secretariat, and changes nothing', async () => {
      const f = await disposedRound();
      const member = await signIn(app, f.members.BY);
      assert.equal((await answer(member, f, f.by[0], { agreed: 'yes' })).status, 403);
      assert.equal((await form(member, `/documents/${f.id}/answers`)).status, 403, 'nor agrees to all');
      const otherHead = await signIn(app, f.heads.RU);
      const refused = await answer(otherHead, f, f.by[0], { agreed: 'yes' }).expect(403);
      assert.match(refused.text, /Это замечание другой делегации/);
      const sec = await signIn(app, f.secretariat);
      assert.equal((await answer(sec, f, f.by[0], { agreed: 'yes' })).status, 403);
      const stored = await storedComment(f.by[0]);
      assert.equal(stored.answer, null);
      assert.deepEqual(stored.answers, []);
    });

    it('refuses an answer before the dispositions are published (the comment period still open)', async () => {
      const f = await disposedRound({ close: false });
      const head = await signIn(app, f.heads.BY);
      const res = await answer(head, f, f.by[0], { agreed: 'yes' }).expect(409);
      assert.match(alertOf(res), /Заключения этого тура ещё не опубликованы/);
      assert.equal((await storedComment(f.by[0])).answer, null);
      const $ = cheerio.load((await head.agent.get(`/documents/${f.id}/answers`).expect(200)).text);
      assert.equal($('[data-test=not-published]').length, 1);
      assert.equal($('[data-test=answer-form]').length, 0);
    });

    it('refuses any change once the ballot has opened: the answers are read-only, and the page says so', async () => {
      const f = await disposedRound();
      const head = await signIn(app, f.heads.BY);
      await answer(head, f, f.by[0], { agreed: 'no', reason: 'Не согласны.' }).expect(303);
      await openBallot(f);
      const res = await answer(head, f, f.by[0], { agreed: 'yes' }).expect(409);
      assert.match(alertOf(res), /Голосование начато/);
      assert.equal((await form(head, `/documents/${f.id}/answers`)).status, 409, 'nor agrees to all');
      const stored = await storedComment(f.by[0]);
      assert.equal(stored.answer?.agreed, false);
      assert.equal((await storedComment(f.by[1])).answer, null);
      const $ = cheerio.load((await head.agent.get(`/documents/${f.id}/answers`).expect(200)).text);
      assert.equal($('[data-test=answers-closed]').length, 1);
      assert.equal($('[data-test=answer-form]').length, 0);
      assert.match(text($(`[data-test=answer-item][data-comment=${f.by[0]}] [data-test=current-answer]`).text()), /Делегация не согласна: Не согласны\./);
    });

    it('opens the answers again when a failed ballot brings the document back to resolution of the same round', async () => {
      const f = await disposedRound();
      await openBallot(f);
      const vote = (h: MadeUser) => castVote(actorOf(h), f.id, { vote: 'disapprove', reasons: 'Не согласованы замечания BY.' }, { now: new Date(), lifecycle: testSystem().lifecycle });
      await vote(f.heads.BY);
      await vote(f.heads.RU);
      const head = await signIn(app, f.heads.BY);
      await answer(head, f, f.by[0], { agreed: 'no', reason: 'По-прежнему не согласны.' }).expect(303);
      assert.equal((await storedComment(f.by[0])).answer?.agreed, false);
    });

    it('requires the reason of a disagreement and a choice, shows the page again with what was typed on that form, and stores nothing', async () => {
      const f = await disposedRound();
      const head = await signIn(app, f.heads.BY);
      const res = await answer(head, f, f.by[1], { agreed: 'no', reason: '   ' }).expect(422);
      const $ = cheerio.load(res.text);
      assert.match(alertOf(res), /укажите причину/);
      const failed = $(`[data-test=answer-item][data-comment=${f.by[1]}]`);
      assert.equal(failed.find('input[name=agreed][value=no]').attr('checked'), 'checked', 'the choice typed is kept on its own form');
      assert.match(failed.find('.has-error small.error').text(), /укажите причину/);
      assert.equal($(`[data-test=answer-item][data-comment=${f.by[0]}] .has-error`).length, 0, 'the other forms stay as they were');
      const none = await answer(head, f, f.by[1], { reason: 'Причина без выбора' }).expect(422);
      const again = cheerio.load(none.text)(`[data-test=answer-item][data-comment=${f.by[1]}]`);
      assert.match(again.find('fieldset small.error').text(), /Выберите: согласна или не согласна/);
      assert.equal(again.find('textarea[name=reason]').text(), 'Причина без выбора');
      assert.equal((await storedComment(f.by[1])).answer, null);
    });

    it('comes back to the page of the form after a refusal in a browser (post/redirect/get), the typed values kept', async () => {
      const f = await disposedRound();
      const head = await signIn(app, f.heads.BY);
      const page = `/documents/${f.id}/answers`;
      const res = await head.agent.post(`${page}/${f.by[0]}`).type('form')
        .set({ 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Site': 'same-origin', Referer: `http://accord.test${page}` })
        .send({ _csrf: head.csrf, agreed: 'no', reason: '' }).expect(303);
      assert.equal(res.headers.location, page);
      const $ = cheerio.load((await head.agent.get(page).expect(200)).text);
      assert.match($('[role=alert]').text(), /укажите причину/);
      assert.equal($(`[data-test=answer-item][data-comment=${f.by[0]}] input[name=agreed][value=no]`).attr('checked'), 'checked');
    });

    it('agrees to all remaining dispositions at once, leaving the answers already given as they are', async () => {
      const f = await disposedRound();
      const head = await signIn(app, f.heads.BY);
      await answer(head, f, f.by[0], { agreed: 'no', reason: 'Не согласны.' }).expect(303);
      const sec = await signIn(app, f.secretariat);
      const agreed = async () => cheerio.load((await sec.agent.get(`/documents/${f.id}/comments?answer=agreed`).expect(200)).text)('[data-test=summary-table] tbody tr').length;
      assert.equal(await agreed(), 0);
      const res = await form(head, `/documents/${f.id}/answers`).expect(303);
      assert.equal(await agreed(), 1, 'the summary shows the agreements at once');
      assert.equal(res.headers.location, `/documents/${f.id}/answers?agreed=1`);
      assert.equal((await storedComment(f.by[0])).answer?.agreed, false);
      assert.equal((await storedComment(f.by[1])).answer?.agreed, true);
      assert.equal((await storedComment(f.ru)).answer, null, 'the other delegation’s comment is theirs to answer');
      const $ = cheerio.load((await head.agent.get(res.headers.location).expect(200)).text);
      assert.match($('[data-test=agreed-all]').text(), /Записано согласие с 1 заключением/);
      assert.equal($('[data-test=agree-all]').length, 0, 'nothing remains');
      assert.match(text($('[data-test=answer-counts]').text()), /Ответов: 2 из 2 .* 1 несогласие/);
    });
  });

  describe('who sees the answers', () => {
    it('shows a member the delegation’s answers without a form, and the summary shows each answer to the other delegation and the secretariat', async () => {
      const f = await disposedRound();
      const head = await signIn(app, f.heads.BY);
      // Seen before the answer: the summary's order under this filter is kept in memory until an answer changes it.
      const sec = await signIn(app, f.secretariat);
      const disagreed = async () => {
        const page = cheerio.load((await sec.agent.get(`/documents/${f.id}/comments?answer=disagreed`).expect(200)).text);
        return page('[data-test=summary-table] tbody tr').toArray().map((tr) => page(tr).attr('id'));
      };
      assert.deepEqual(await disagreed(), []);
      await answer(head, f, f.by[0], { agreed: 'no', reason: 'Станки с ЧПУ должны быть исключены.' }).expect(303);

      const member = await signIn(app, f.members.BY);
      let $ = cheerio.load((await member.agent.get(`/documents/${f.id}/answers`).expect(200)).text);
      assert.equal($('[data-test=answer-form]').length, 0);
      assert.equal($('[data-test=agree-all]').length, 0);
      assert.match(text($(`[data-test=answer-item][data-comment=${f.by[0]}]`).text()), /Делегация не согласна: Станки с ЧПУ должны быть исключены\./);

      for (const who of [f.members.RU, f.secretariat, f.heads.RU]) {
        const s = await signIn(app, who);
        $ = cheerio.load((await s.agent.get(`/documents/${f.id}/comments`).expect(200)).text);
        assert.match(text($(`#comment-${f.by[0]} [data-test=answer-cell]`).text()), /Делегация не согласна: Станки с ЧПУ должны быть исключены\./, who.email);
        assert.match(text($(`#comment-${f.by[1]} [data-test=answer-cell]`).text()), /Ответа делегации нет/);
      }
      // The summary filters by the answer.
      assert.deepEqual(await disagreed(), [`comment-${f.by[0]}`]);
      // The comment's own page shows it too.
      $ = cheerio.load((await sec.agent.get(`/documents/${f.id}/comments/${f.by[0]}`).expect(200)).text);
      assert.match(text($('[data-test=comment-answer]').text()), /Делегация не согласна/);
      // And the JSON API gives it with the comment (docs/comments-api.md).
      const api = (await request(app).get(`/api/documents/${f.id}/comments/${f.by[0]}`).set('Authorization', `Bearer ${await tokenFor(f.members.RU)}`).expect(200)).body;
      assert.deepEqual([api.answer.agreed, api.answer.reason, api.answer.dispositionChangedSince], [false, 'Станки с ЧПУ должны быть исключены.', false]);
      const other = (await request(app).get(`/api/documents/${f.id}/comments/${f.by[1]}`).set('Authorization', `Bearer ${await tokenFor(f.secretariat)}`).expect(200)).body;
      assert.equal(other.answer, null);
    });

    it('puts the answer after the secretariat’s observations in the CSV, XLSX and PDF exports', async () => {
      const f = await disposedRound();
      const head = await signIn(app, f.heads.BY);
      await answer(head, f, f.by[0], { agreed: 'no', reason: 'Станки с ЧПУ должны быть исключены.' }).expect(303);
      await answer(head, f, f.by[1], { agreed: 'yes' }).expect(303);
      const sec = await signIn(app, f.secretariat);
      const rows = parseCsv((await sec.agent.get(`/documents/${f.id}/comments/export.csv`).expect(200)).text.replace(/^\uFEFF/, ''));
      const observations = (number: string) => rows.find((r) => r.at(-1) === number)?.at(-2);
      const numbers = await Promise.all(f.by.map(async (id) => (await storedComment(id)).number!));
      assert.equal(observations(numbers[0]!), 'Отклонено (rejected). Область применения согласована ранее. Ответ делегации: не согласна (not agreed). Станки с ЧПУ должны быть исключены.');
      assert.equal(observations(numbers[1]!), 'Принято (accepted). Ответ делегации: согласна (agreed)');
      const xlsx = await sec.agent.get(`/documents/${f.id}/comments/export.xlsx`).buffer(true).parse(binaryParser).expect(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.body as ArrayBuffer);
      const ws = wb.worksheets[0]!;
      const cellText = (v: ExcelJS.CellValue) => (v && typeof v === 'object' && 'richText' in v ? v.richText.map((r) => r.text).join('') : String(v ?? ''));
      const xlsxRows = Array.from({ length: ws.rowCount - 1 }, (_, i) => ws.getRow(i + 2)).map((r) => [cellText(r.getCell(9).value), cellText(r.getCell(8).value)]);
      assert.equal(xlsxRows.find(([n]) => n === numbers[0])?.[1], observations(numbers[0]!));
      const pdf = await sec.agent.get(`/documents/${f.id}/comments/export.pdf`).buffer(true).parse(binaryParser).expect(200);
      const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'accord-answers-')), 'summary.pdf');
      writeFileSync(file, pdf.body as Buffer);
      const printed = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      assert.match(printed, /Делегация не согласна: Станки с ЧПУ должны быть исключены\./);
      assert.match(printed, /Делегация согласна\./);
    });
  });

  describe('what follows from the answers', () => {
    it('asks the head on the home page while answers are missing, and no longer once they are given', async () => {
      const f = await disposedRound();
      const head = await signIn(app, f.heads.BY);
      const needs = async (s: { agent: Agent }) => {
        const $ = cheerio.load((await s.agent.get('/').expect(200)).text);
        return $('[data-test=needs] li a').toArray().map((a) => ({ href: $(a).attr('href'), text: text($(a).text()) })).filter((n) => n.href === `/documents/${f.id}/answers`);
      };
      const before = await needs(head);
      assert.equal(before.length, 1);
      assert.match(before[0]!.text, /^2 заключения ждут ответа делегации: «Станки фрезерные/);
      assert.equal((await needs(await signIn(app, f.members.BY))).length, 0, 'a member does not answer');
      await form(head, `/documents/${f.id}/answers`).expect(303);
      assert.deepEqual(await needs(head), []);
      assert.equal((await needs(await signIn(app, f.heads.RU))).length, 1, 'RU still has its own to answer');
    });

    it('lists the open disagreements for the secretariat beside the opening of the ballot and on the ballot page, without blocking the ballot', async () => {
      const f = await disposedRound();
      const head = await signIn(app, f.heads.BY);
      await answer(head, f, f.by[0], { agreed: 'no', reason: 'Станки с ЧПУ должны быть исключены.' }).expect(303);
      await answer(head, f, f.by[1], { agreed: 'yes' }).expect(303);
      const number = (await storedComment(f.by[0])).number!;
      const sec = await signIn(app, f.secretariat);

      let $ = cheerio.load((await sec.agent.get(`/documents/${f.id}`).expect(200)).text);
      const beside = $('[data-test=open-ballot-disagreements] [data-test=disagreements] li');
      assert.deepEqual(beside.toArray().map((li) => $(li).attr('data-comment')), [f.by[0]]);
      assert.match(text(beside.text()), new RegExp(`${number} .*Отклонено.*Станки с ЧПУ должны быть исключены\\.`));
      assert.equal($('[data-test=transition-openBallot]').length, 1);

      await sec.agent.post(`/documents/${f.id}/transitions/openBallot`).type('form').send({ _csrf: sec.csrf, closesDate: inDays(14) }).expect(303);
      $ = cheerio.load((await sec.agent.get(`/documents/${f.id}/ballot`).expect(200)).text);
      assert.deepEqual($('[data-test=ballot-disagreements] [data-test=disagreements] li').toArray().map((li) => $(li).attr('data-comment')), [f.by[0]]);
      assert.equal(cheerio.load((await head.agent.get(`/documents/${f.id}/ballot`).expect(200)).text)('[data-test=ballot-disagreements]').length, 0, 'the list is the secretariat’s');
    });

    it('says there are none on the ballot page when every delegation agreed', async () => {
      const f = await disposedRound();
      await openBallot(f);
      const sec = await signIn(app, f.secretariat);
      const $ = cheerio.load((await sec.agent.get(`/documents/${f.id}/ballot`).expect(200)).text);
      assert.equal($('[data-test=ballot-disagreements] [data-test=no-disagreements]').length, 1);
    });
  });

  // The rounds made here notify every committee account; late in the suite that is hundreds of e-mails.
  after(async function () {
    this.timeout(180_000);
    await testSystem().notices.drain();
  });
});
