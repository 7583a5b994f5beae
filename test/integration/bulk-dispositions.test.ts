// Bulk dispositions from the comments page (docs/answers.md, "Bulk dispositions"): several comments take
// one disposition with the reason rules of one, all or nothing, and through the API too.
import assert from 'node:assert/strict';
import type { Express } from 'express';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { signIn, tokenFor } from '../helpers/agent.js';
import { drainNotices, testApp } from '../helpers/app.js';
import { actorOf } from '../helpers/factories.js';
import { releaseAs, roundOfComments, storedComment, writeComment } from '../helpers/comments.js';
import { setDisposition } from '../../server/comments/dispositions.js';

async function round() {
  const r = await roundOfComments();
  const ed1 = await writeComment(r.id, r.members.BY, { clauseKey: 'scope', type: 'ed', text: 'Опечатка в слове «станки».' });
  const ed2 = await writeComment(r.id, r.members.BY, { clauseKey: 'scope', type: 'ed', text: 'Лишняя запятая.' });
  const te = await writeComment(r.id, r.members.BY, { clauseKey: 'scope', type: 'te', text: 'Уточнить допуск.' });
  await releaseAs(r.id, 'BY');
  return { ...r, ids: [String(ed1._id), String(ed2._id), String(te._id)] };
}

describe('bulk dispositions', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });
  // Late in a full run a notice goes to many people: the drain gets the time a test gets.
  after(async function () {
    this.timeout(120_000);
    await drainNotices();
  });

  it('ticks every editorial comment without a disposition from the page, and gives them one disposition', async () => {
    const r = await round();
    const s = await signIn(app, r.secretariat);
    const page = cheerio.load((await s.agent.get(`/documents/${r.id}/comments`).expect(200)).text);
    const link = page('[data-test=select-editorial]').attr('href')!;
    const $ = cheerio.load((await s.agent.get(link).expect(200)).text);
    const ticked = $('[data-test=bulk-choice]:checked').toArray().map((e) => $(e).attr('value')!);
    assert.equal(ticked.length, 2);
    assert.deepEqual(ticked.map((v) => v.split('.')[0]).sort(), r.ids.slice(0, 2).sort());
    const res = await s.agent.post(`/documents/${r.id}/dispositions`).type('form').send({ _csrf: s.csrf, ids: ticked, decision: 'accepted', observation: 'Редакционные правки внесены.' }).expect(303);
    assert.match(res.headers.location!, /disposed=2/);
    for (const id of r.ids.slice(0, 2)) {
      const d = (await storedComment(id)).disposition!;
      assert.equal(d.decision, 'accepted');
      assert.equal(d.observation, 'Редакционные правки внесены.');
      assert.equal(d.byName, r.secretariat.name);
    }
    assert.equal((await storedComment(r.ids[2]!)).disposition, null);
    const done = cheerio.load((await s.agent.get(res.headers.location!).expect(200)).text);
    assert.match(done('[data-test=bulk-done]').text(), /2/);
  });

  it('keeps the reason rule of one disposition: a rejection without a reason changes nothing', async () => {
    const r = await round();
    const s = await signIn(app, r.secretariat);
    const res = await s.agent.post(`/documents/${r.id}/dispositions`).type('form').send({ _csrf: s.csrf, ids: r.ids.map((id) => `${id}.0`), decision: 'rejected' }).expect(422);
    assert.match(cheerio.load(res.text)('[role=alert]').text(), /обоснование/);
    for (const id of r.ids) assert.equal((await storedComment(id)).disposition, null);
    // Nothing ticked is refused in words too.
    const none = await s.agent.post(`/documents/${r.id}/dispositions`).type('form').send({ _csrf: s.csrf, decision: 'accepted' }).expect(422);
    assert.match(none.text, /Отметьте хотя бы одно замечание/);
  });

  it('is all or nothing: one comment disposed of since the page was read refuses the lot, names it and keeps the choice', async () => {
    const r = await round();
    const s = await signIn(app, r.secretariat);
    const $ = cheerio.load((await s.agent.get(`/documents/${r.id}/comments`).expect(200)).text);
    const values = $('[data-test=bulk-choice]').toArray().map((e) => $(e).attr('value')!);
    assert.equal(values.length, 3);
    // Meanwhile another disposition is given to the third.
    await setDisposition(actorOf(r.secretariat), r.ids[2]!, { decision: 'noted' }, new Date());
    const res = await s.agent.post(`/documents/${r.id}/dispositions`).type('form').send({ _csrf: s.csrf, ids: values, decision: 'accepted' }).expect(409);
    const page = cheerio.load(res.text);
    const failures = page('[data-test=bulk-failures] li').toArray().map((li) => page(li).text());
    assert.equal(failures.length, 1);
    assert.match(failures[0]!, /BY-003: после загрузки страницы заключение/);
    assert.equal(page('[data-test=bulk-choice]:checked').length, 3, 'the choice is kept');
    assert.equal((await storedComment(r.ids[0]!)).disposition, null);
    assert.equal((await storedComment(r.ids[1]!)).disposition, null);
    assert.equal((await storedComment(r.ids[2]!)).disposition!.decision, 'noted');
    // A browser is sent back to the page (post/redirect/get), which shows the same.
    const back = `/documents/${r.id}/comments`;
    const redirected = await s.agent.post(`/documents/${r.id}/dispositions`).set('Sec-Fetch-Mode', 'navigate').set('Sec-Fetch-Site', 'same-origin').set('Referer', `http://127.0.0.1${back}`).type('form').send({ _csrf: s.csrf, ids: values, decision: 'accepted' }).expect(303);
    assert.equal(redirected.headers.location, back);
    const shown = cheerio.load((await s.agent.get(back).expect(200)).text);
    assert.equal(shown('[data-test=bulk-failures] li').length, 1);
    assert.equal(shown('[data-test=bulk-choice]:checked').length, 3);
  });

  it('refuses a comment of another document as not found, and changes nothing', async () => {
    const r = await round();
    const other = await round();
    const s = await signIn(app, r.secretariat);
    const res = await s.agent.post(`/documents/${r.id}/dispositions`).type('form').send({ _csrf: s.csrf, ids: [`${r.ids[0]}.0`, `${other.ids[0]}.0`], decision: 'accepted' }).expect(409);
    assert.match(cheerio.load(res.text)('[data-test=bulk-failures]').text(), /Замечание не найдено/);
    assert.equal((await storedComment(r.ids[0]!)).disposition, null);
  });

  it('is the secretariat’s alone: members and heads see no choice and are refused', async () => {
    const r = await round();
    const member = await signIn(app, r.members.BY);
    const $ = cheerio.load((await member.agent.get(`/documents/${r.id}/comments`).expect(200)).text);
    assert.equal($('[data-test=bulk-form]').length, 0);
    await member.agent.post(`/documents/${r.id}/dispositions`).type('form').send({ _csrf: member.csrf, ids: [`${r.ids[0]}.0`], decision: 'accepted' }).expect(403);
    assert.equal((await storedComment(r.ids[0]!)).disposition, null);
  });

  it('has an API endpoint with the same rules', async () => {
    const r = await round();
    const token = await tokenFor(r.secretariat);
    const url = `/api/documents/${r.id}/dispositions`;
    const refused = await request(app).post(url).set('Authorization', `Bearer ${token}`).send({ comments: [{ id: r.ids[0], seen: null }, { id: r.ids[1], seen: '2020-01-01T00:00:00.000Z' }], decision: 'accepted' }).expect(409);
    assert.ok(refused.body.error.fields[r.ids[1]!]);
    assert.equal((await storedComment(r.ids[0]!)).disposition, null);
    await request(app).post(url).set('Authorization', `Bearer ${token}`).send({ comments: [{ id: r.ids[0] }], decision: 'partially' }).expect(422);
    const ok = await request(app).post(url).set('Authorization', `Bearer ${token}`).send({ comments: [{ id: r.ids[0] }, { id: r.ids[1] }], decision: 'accepted' }).expect(200);
    assert.equal(ok.body.disposed, 2);
    assert.equal((await storedComment(r.ids[1]!)).disposition!.decision, 'accepted');
    const member = await tokenFor(r.members.BY);
    await request(app).post(url).set('Authorization', `Bearer ${member}`).send({ comments: [{ id: r.ids[2] }], decision: 'accepted' }).expect(403);
  });
});
