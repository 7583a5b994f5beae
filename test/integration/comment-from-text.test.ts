import assert from 'node:assert/strict';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { signIn } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { makeUser } from '../helpers/factories.js';
import { commentIdFrom, releaseAs, roundOfComments } from '../helpers/comments.js';

describe('commenting from the text', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });

  const marksOf = (html: string) => {
    const $ = cheerio.load(html);
    return {
      write: $('[data-test=comment-on-clause]').toArray().map((a) => $(a).closest('.clause').attr('id')),
      counts: Object.fromEntries($('[data-test=clause-comments]').toArray().map((a) => [$(a).closest('.clause').attr('id'), $(a).text().trim()])),
    };
  };

  it('offers “comment on this clause” at each clause, opens the form with it chosen, and counts what each person may read', async () => {
    const round = await roundOfComments();
    const by = await signIn(app, round.members.BY);
    const ru = await signIn(app, round.members.RU);

    const page = await by.agent.get(`/documents/${round.id}`).expect(200);
    const before = marksOf(page.text);
    assert.ok(before.write.includes('clause-safety') && before.write.includes('clause-scope'), `actions at ${before.write.join(', ')}`);
    const $page = cheerio.load(page.text);
    assert.ok($page('.clause.kind-reference').length > 0);
    assert.equal($page('.clause.kind-reference [data-test=comment-on-clause]').length, 0, 'not at a reference entry');
    assert.deepEqual(before.counts, {});

    // The action opens the comment form with the clause chosen and its text beside it.
    const href = cheerio.load(page.text)('#clause-safety [data-test=comment-on-clause]').attr('href')!;
    assert.equal(href, `/documents/${round.id}/comments?clause=safety&write=1#new-comment`);
    const form = cheerio.load((await by.agent.get(href).expect(200)).text);
    assert.notEqual(form('#new-comment').attr('open'), undefined);
    assert.equal(form('[data-test=new-comment] select[name=clauseKey] option[selected]').attr('value'), 'safety');
    assert.match(form('[data-test=chosen-clause]').text(), /Требования безопасности/);

    const posted = await by.agent.post(`/documents/${round.id}/comments`).type('form').send({ _csrf: by.csrf, clauseKey: 'safety', type: 'te', text: 'Нет защиты от статического электричества.' }).expect(303);
    commentIdFrom(posted.headers.location);

    // The delegation sees its unreleased comment beside the clause; the other delegation does not, though the text is kept rendered once for both.
    assert.deepEqual(marksOf((await by.agent.get(`/documents/${round.id}`).expect(200)).text).counts, { 'clause-safety': '1 замечание' });
    const ruPage = marksOf((await ru.agent.get(`/documents/${round.id}`).expect(200)).text);
    assert.deepEqual(ruPage.counts, {});
    assert.ok(ruPage.write.includes('clause-safety'));
    // The count opens that clause's comments.
    const thread = cheerio.load((await by.agent.get(`/documents/${round.id}/comments?clause=safety`).expect(200)).text);
    assert.match(thread('[data-test=internal]').text(), /статического электричества/);
    assert.match(thread('[data-test=clause-filter]').text(), /только к одному пункту/);

    // Released: the committee counts it; the delegation, its position sent, may no longer write.
    await releaseAs(round.id, 'BY');
    assert.deepEqual(marksOf((await ru.agent.get(`/documents/${round.id}`).expect(200)).text).counts, { 'clause-safety': '1 замечание' });
    const byAfter = marksOf((await by.agent.get(`/documents/${round.id}`).expect(200)).text);
    assert.deepEqual(byAfter.write, []);
    assert.deepEqual(byAfter.counts, { 'clause-safety': '1 замечание' });
    const secretariat = await signIn(app, round.secretariat);
    assert.deepEqual(marksOf((await secretariat.agent.get(`/documents/${round.id}`).expect(200)).text), { write: [], counts: { 'clause-safety': '1 замечание' } });

    // Outside the committee nothing of it.
    const maker = await signIn(app, await makeUser('manufacturer'));
    for (const res of [await maker.agent.get(`/documents/${round.id}`), await request(app).get(`/documents/${round.id}`)]) {
      if (res.status !== 200) continue;
      assert.deepEqual(marksOf(res.text), { write: [], counts: {} });
      assert.ok(!res.text.includes('<!--mark:'));
    }
  });
});
